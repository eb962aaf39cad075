import * as cheerio from 'cheerio';
import request from 'supertest';
import { PostModel } from '../../../models/post';
import { POST_LIMITS } from '../../../server/services/posts/post-service';
import { buildTestApp } from '../../setup/app';
import { buildUser, signIn } from '../../fixtures/users';
import { buildPost } from '../../fixtures/factories';

describe('post editor (editor role)', () => {
  const { app, services } = buildTestApp();

  it('sends visitors to sign in, and refuses commenters and moderators with 403', async () => {
    const visitor = await request(app).get('/editor').expect(303);
    expect(visitor.headers.location).toBe('/login?next=%2Feditor');
    for (const role of ['commenter', 'moderator'] as const) {
      const user = await buildUser(services, role);
      const { agent, csrf } = await signIn(app, user.username);
      await agent.get('/editor').expect(403);
      await agent.get('/editor/posts/new').expect(403);
      await agent
        .post('/editor/posts')
        .type('form')
        .send({ _csrf: csrf, title: 'x', answer: 'y' })
        .expect(403);
    }
  });

  it('lets an editor create, publish and edit a post', async () => {
    const editor = await buildUser(services, 'editor');
    const { agent, csrf } = await signIn(app, editor.username);
    await agent.get('/editor').expect(200);
    const created = await agent
      .post('/editor/posts')
      .type('form')
      .send({
        _csrf: csrf,
        title: 'Should I tell my boss about my side job?',
        letter: 'I do **freelance** design at weekends.',
        answer: 'Check your contract first.\n\n<script>alert(1)</script>',
        tags: 'Side Jobs, contracts',
        authorName: 'Marisol Vance',
        status: 'published',
        commentStatus: 'open',
      })
      .expect(303);
    // Published at once: the edit page says so (and who was mailed).
    expect(created.headers.location).toMatch(/^\/editor\/posts\/[a-f0-9]{24}\/edit\?saved=published$/);
    const post = await PostModel.findOne({ slug: 'should-i-tell-my-boss-about-my-side-job' }).lean();
    expect(post).toMatchObject({
      status: 'published',
      tags: ['side-jobs', 'contracts'],
      commentStatus: 'open',
    });
    expect(post?.answerHtml).not.toContain('<script');

    const page = cheerio.load((await agent.get(`/posts/${post?.slug}`).expect(200)).text);
    expect(page('.letter blockquote strong').text()).toBe('freelance');

    await agent
      .post(`/editor/posts/${post?._id}`)
      .type('form')
      .send({
        _csrf: csrf,
        title: 'Side job: tell the boss?',
        answer: 'Updated.',
        status: 'published',
        commentStatus: 'closed',
      })
      .expect(303);
    const updated = await PostModel.findById(post?._id).lean();
    expect(updated).toMatchObject({
      title: 'Side job: tell the boss?',
      commentStatus: 'closed',
      slug: post?.slug,
    });
  });

  it('shows form errors by field and saves nothing', async () => {
    const editor = await buildUser(services, 'editor');
    const { agent, csrf } = await signIn(app, editor.username);
    const before = await PostModel.countDocuments();
    const res = await agent
      .post('/editor/posts')
      .type('form')
      .send({ _csrf: csrf, title: '', answer: '', status: 'bogus', commentStatus: 'open' })
      .expect(400);
    const $ = cheerio.load(res.text);
    expect($('#error-title').text()).toBe('Give the post a title.');
    expect($('#error-answer').text()).toBe('Write the answer before publishing.');
    expect(await PostModel.countDocuments()).toBe(before);
  });

  it('refuses another post’s address on an edit with the field’s error, keeping every field as typed', async () => {
    const editor = await buildUser(services, 'editor');
    const { agent, csrf } = await signIn(app, editor.username);
    const taken = await buildPost();
    const mine = await buildPost();
    // Seen in a browser: a 500 page, and the new answer and tags gone (the embedded database
    // reports a unique index refusing an update as code 1, "UNIQUE constraint failed", not 11000).
    const res = await agent
      .post(`/editor/posts/${mine._id}`)
      .type('form')
      .send({
        _csrf: csrf,
        title: 'A coworker eats my lunch',
        slug: taken.slug,
        answer: 'Label it, then talk to them. A new paragraph I wrote just now.',
        tags: 'food, coworkers',
        status: 'published',
        commentStatus: 'open',
      })
      .expect(400);
    const $ = cheerio.load(res.text);
    expect($('#error-slug').text()).toBe('Another post already uses this address. Choose a different slug.');
    expect($('textarea[name=answer]').text()).toBe(
      'Label it, then talk to them. A new paragraph I wrote just now.',
    );
    expect($('input[name=tags]').val()).toBe('food, coworkers');
    expect((await PostModel.findById(mine._id).lean())?.slug).toBe(mine.slug);
  });

  it('saves an answer in another alphabet at its full length (over a megabyte as a form)', async () => {
    const editor = await buildUser(services, 'editor');
    const { agent, csrf } = await signIn(app, editor.username);
    // Seen in a browser: 77,000 Cyrillic characters got "That request is too large" and were lost.
    const word = 'Ответ ';
    const answer = word.repeat(Math.floor(POST_LIMITS.answer / word.length)).trim();
    const letter = 'Письмо '.repeat(Math.floor(POST_LIMITS.letter / 7)).trim();
    const created = await agent
      .post('/editor/posts')
      .type('form')
      .send({ _csrf: csrf, title: 'Длинный ответ', letter, answer, status: 'draft', commentStatus: 'open' })
      .expect(303);
    const id = /\/editor\/posts\/([a-f0-9]{24})\/edit/.exec(created.headers.location)![1];
    const saved = await PostModel.findById(id).lean();
    expect(saved?.answerSource).toBe(answer);
    expect(saved?.letterSource).toBe(letter);
    // Without a session, the editor's addresses keep the site's smaller bound too.
    await request(app)
      .post('/editor/posts')
      .type('form')
      .send({ answer: 'x'.repeat(300 * 1024) })
      .expect(413);
    // The rest of the site keeps its smaller bound.
    await request(app)
      .post('/letters')
      .type('form')
      .send({ body: 'x'.repeat(300 * 1024) })
      .expect(413);
  });

  it('keeps a published post’s old address working after its address changes: every page under it moves', async () => {
    const editor = await buildUser(services, 'editor');
    const { agent, csrf } = await signIn(app, editor.username);
    const post = await buildPost();
    const old = post.slug;
    await agent
      .post(`/editor/posts/${post._id}`)
      .type('form')
      .send({
        _csrf: csrf,
        title: post.title,
        slug: `${old}-renamed`,
        answer: 'Talk to them.',
        status: 'published',
        commentStatus: 'open',
      })
      .expect(303);
    const moved = await request(app).get(`/posts/${old}?page=2`).expect(301);
    expect(moved.headers.location).toBe(`/posts/${old}-renamed?page=2`);
    expect((await request(app).get(`/posts/${old}/comments.xml`).expect(301)).headers.location).toBe(
      `/posts/${old}-renamed/comments.xml`,
    );
    expect((await request(app).get(`/posts/${old}/letter-writer/a.b.c`).expect(301)).headers.location).toBe(
      `/posts/${old}-renamed/letter-writer/a.b.c`,
    );
    await request(app).get(`/posts/${old}-renamed`).expect(200);
    await request(app).get('/posts/never-was-a-post').expect(404);
    // A new post may take the old address: it answers there, not the moved one.
    await buildPost({ slug: old });
    await request(app).get(`/posts/${old}`).expect(200);
  });

  it('lets an editor see drafts; nobody else can', async () => {
    const draft = await PostModel.create({
      title: 'Draft in progress',
      slug: `draft-${Date.now()}`,
      answerHtml: '<p>wip</p>',
      authorName: 'Marisol Vance',
      status: 'draft',
    });
    const editor = await buildUser(services, 'editor');
    const { agent } = await signIn(app, editor.username);
    await agent.get(`/posts/${draft.slug}`).expect(200);
    const commenter = await buildUser(services);
    await (await signIn(app, commenter.username)).agent.get(`/posts/${draft.slug}`).expect(404);
  });
});
