import * as cheerio from 'cheerio';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { LetterModel } from '../../../models/letter';
import { PostModel } from '../../../models/post';
import { mongooseHealth } from '../../../server/db/connection';
import { buildPost } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';

async function eventually<T>(read: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('not in time');
}

describe('the letters inbox, from letter to published answer', () => {
  let clock = Date.now();
  const { app, services } = buildTestApp(
    { SITE_URL: 'http://advice.example' },
    mongooseHealth(),
    () => clock,
  );

  async function letter(subject: string, body: string, status = 'new') {
    return LetterModel.create({
      reference: `Q-${Math.random().toString(16).slice(2, 8).toUpperCase()}`,
      subject,
      body,
      pseudonym: 'Worried in Wichita',
      email: 'worried@example.com',
      consentPublish: true,
      status,
    });
  }

  async function editor() {
    const user = await buildUser(services, 'editor');
    return { user, ...(await signIn(app, user.username)) };
  }

  it('lists, filters by status and searches letters; editors only', async () => {
    await letter('Boss reads my email', 'My manager at Acme Widgets reads my email.');
    await letter('Coworker hums', 'All day long.', 'shortlisted');
    await letter('Old news', 'Dealt with long ago.', 'archived');
    const ed = await editor();
    const all = cheerio.load((await ed.agent.get('/editor/letters').expect(200)).text);
    expect(all('tbody tr').length).toBeGreaterThanOrEqual(2);
    // The inbox is what is still to deal with: archived letters only when asked for.
    expect(all('tbody').text()).not.toContain('Old news');
    const any = cheerio.load((await ed.agent.get('/editor/letters?status=any').expect(200)).text);
    expect(any('tbody').text()).toContain('Old news');
    expect(any('#letters-status option[selected]').attr('value')).toBe('any');
    const shortlisted = cheerio.load(
      (await ed.agent.get('/editor/letters?status=shortlisted').expect(200)).text,
    );
    expect(
      shortlisted('tbody td a')
        .map((_, el) => shortlisted(el).text())
        .get(),
    ).toEqual(['Coworker hums']);
    const found = cheerio.load((await ed.agent.get('/editor/letters?q=acme').expect(200)).text);
    expect(
      found('tbody td a')
        .map((_, el) => found(el).text())
        .get(),
    ).toEqual(['Boss reads my email']);
    // A writer who asked for details to be changed: said plainly until a redacted version is saved.
    const careful = await letter('My boss Dana at Acme', 'Dana shouts.');
    await LetterModel.updateOne({ _id: careful._id }, { $set: { wantsAnonymized: true } });
    const page = cheerio.load((await ed.agent.get(`/editor/letters/${careful._id}`).expect(200)).text);
    expect(page('[role=note]').text()).toContain('asked for identifying details to be changed');
    const commenter = await buildUser(services);
    const { agent } = await signIn(app, commenter.username);
    await agent.get('/editor/letters').expect(403);
  });

  it('keeps notes and status, redacts, answers as a draft, publishes, and emails the letter-writer a private link', async () => {
    const l = await letter('My manager reads my email', 'My manager Dana at Acme Widgets reads my email.');
    const ed = await editor();
    await ed.agent
      .post(`/editor/letters/${l._id}/notes`)
      .type('form')
      .send({ _csrf: ed.csrf, note: 'Good one for Friday.' })
      .expect(303);
    await ed.agent
      .post(`/editor/letters/${l._id}/status`)
      .type('form')
      .send({ _csrf: ed.csrf, status: 'shortlisted' })
      .expect(303);
    await ed.agent
      .post(`/editor/letters/${l._id}/status`)
      .type('form')
      .send({ _csrf: ed.csrf, status: 'lost' })
      .expect(400);
    await ed.agent
      .post(`/editor/letters/${l._id}/redact`)
      .type('form')
      .send({ _csrf: ed.csrf, redactedBody: 'My manager at my company reads my email.' })
      .expect(303);
    const page = cheerio.load((await ed.agent.get(`/editor/letters/${l._id}`).expect(200)).text);
    expect(page('.letter-notes li').text()).toContain('Good one for Friday.');
    expect(page('#letter-status option[selected]').text()).toBe('shortlisted');

    const answered = await ed.agent
      .post(`/editor/letters/${l._id}/answer`)
      .type('form')
      .send({ _csrf: ed.csrf })
      .expect(303);
    const postId = answered.headers.location.split('/')[3];
    const draft = await PostModel.findById(postId).lean();
    expect(draft).toMatchObject({
      status: 'draft',
      title: 'My manager reads my email',
      letterSource: 'My manager at my company reads my email.',
    });
    expect(String(draft?.letter)).toBe(String(l._id));
    expect(draft?.letterSource).not.toContain('Acme');

    await ed.agent
      .post(`/editor/posts/${postId}`)
      .type('form')
      .send({
        _csrf: ed.csrf,
        title: draft!.title,
        letter: draft!.letterSource,
        answer: 'Assume work email is **not private**.',
        status: 'published',
        commentStatus: 'open',
      })
      .expect(303);
    const mail = await eventually(() => services.mailer.captured.find((m) => m.to === 'worried@example.com'));
    expect(mail.subject).toBe('Your letter has been answered: My manager reads my email');
    const published = await PostModel.findById(postId).lean();
    expect(mail.text).toContain(`http://advice.example/posts/${published!.slug}`);
    expect(mail.raw).toMatch(/^To: worried@example.com$/m);
    const link = /http:\/\/advice\.example(\/posts\/[^\s]+\/letter-writer\/[\w-]+)/.exec(mail.text)![1];
    expect((await LetterModel.findById(l._id).lean())?.status).toBe('answered');

    // The public page shows the redacted letter.
    const post = cheerio.load((await request(app).get(`/posts/${published!.slug}`).expect(200)).text);
    expect(post('.letter blockquote').text()).toContain('My manager at my company reads my email.');

    // The private link: comment with the Letter writer badge, no account.
    const lw = request.agent(app);
    await lw.get(link).expect(303);
    const form = cheerio.load((await lw.get(`/posts/${published!.slug}`)).text);
    expect(form('.form-identity').text()).toContain('Letter writer badge');
    await lw
      .post(`/posts/${published!.slug}/comments`)
      .type('form')
      // The link's session is the letter writer's: its forms carry the session's own token.
      .send({ _csrf: form('input[name=_csrf]').val(), body: 'LW here, an update: I asked IT.' })
      .expect(303);
    const comment = await CommentModel.findOne({ post: postId }).lean();
    expect(comment).toMatchObject({
      authorKind: 'letter-writer',
      authorName: 'Worried in Wichita (letter writer)',
    });
    const shown = cheerio.load((await request(app).get(`/posts/${published!.slug}`)).text);
    expect(shown('.badge--letter-writer').text()).toBe('Letter writer');
  });

  it('does not let the private link work on another post', async () => {
    const l = await letter('Question A', 'About A');
    const ed = await editor();
    const post = await services.letters.answer(ed.user, String(l._id));
    const other = await buildPost();
    const token = services.letters.letterWriterToken(l._id, post._id);
    await request(app).get(`/posts/${other.slug}/letter-writer/${token}`).expect(404);
    await request(app).get(`/posts/${post.slug}/letter-writer/${token}`).expect(404); // still a draft
    await services.posts.update(String(post._id), {
      title: 'Question A',
      slug: '',
      letter: 'About A',
      answer: 'Answer.',
      tags: '',
      authorName: 'Ed',
      status: 'published',
      commentStatus: 'open',
      publishAt: '',
    });
    await request(app).get(`/posts/${post.slug}/letter-writer/${token}`).expect(303);
    await request(app)
      .get(`/posts/${post.slug}/letter-writer/${token.slice(0, -2)}xx`)
      .expect(404);
    // A guest who never opened the link cannot post as the letter-writer.
    await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Not LW', body: 'LW here!', authorKind: 'letter-writer' })
      .expect(303);
    expect((await CommentModel.findOne({ post: post._id }).lean())?.authorKind).toBe('guest');
  });

  it('publishes scheduled posts by themselves when due, and tells the letter-writer then', async () => {
    const l = await letter('Scheduled question', 'When will this run?');
    const ed = await editor();
    const draft = await services.letters.answer(ed.user, String(l._id));
    const at = new Date(clock + 3600000).toISOString().slice(0, 16);
    const res = await ed.agent
      .post(`/editor/posts/${draft._id}`)
      .type('form')
      .send({
        _csrf: ed.csrf,
        title: 'Scheduled question',
        letter: 'When will this run?',
        answer: 'Tomorrow.',
        status: 'scheduled',
        publishAt: at,
        commentStatus: 'open',
      })
      .expect(303);
    expect(res.headers.location).toContain('saved=1');
    await request(app).get(`/posts/${draft.slug}`).expect(404);
    expect(await services.posts.publishDue()).toBe(0);
    const past = await ed.agent
      .post(`/editor/posts/${draft._id}`)
      .type('form')
      .send({
        _csrf: ed.csrf,
        title: 'Scheduled question',
        answer: 'x',
        status: 'scheduled',
        publishAt: '2001-01-01T00:00',
        commentStatus: 'open',
      })
      .expect(400);
    expect(cheerio.load(past.text)('#error-publishAt').text()).toBe(
      'Choose a time in the future, or publish now.',
    );

    clock += 3600000 + 60000;
    expect(await services.posts.publishDue()).toBe(1);
    expect(await services.posts.publishDue()).toBe(0);
    await request(app).get(`/posts/${draft.slug}`).expect(200);
    const home = cheerio.load((await request(app).get('/')).text);
    expect(home('.post-summary__title').text()).toContain('Scheduled question');
    await eventually(() => services.mailer.captured.find((m) => m.subject.includes('Scheduled question')));
  });
});
