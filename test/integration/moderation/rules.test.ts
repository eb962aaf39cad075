import * as cheerio from 'cheerio';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { mongooseHealth } from '../../../server/db/connection';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';

describe('publication rules', () => {
  let clock = Date.now();
  const { app, services } = buildTestApp(
    {
      BANNED_WORDS: 'grifter, total fraud',
      SUSPECT_WORDS: 'crypto',
      HOLD_LINKS_OVER: '1',
      HOLD_FIRST_COMMENT: 'true',
      AUTO_CLOSE_DAYS: '30',
      COMMENT_INTERVAL_SECONDS: '10',
    },
    mongooseHealth(),
    () => clock,
  );
  let n = 0;
  const post = (body: string, extra: Record<string, string> = {}, slug?: string, agent = request(app)) => {
    n += 1;
    clock += 11000; // past the pace limit unless a test says otherwise
    return agent
      .post(`/posts/${slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: `Writer ${n}`, email: `w${n}@example.com`, body, ...extra });
  };

  it('refuses banned words outright, saying why, and writes nothing', async () => {
    const p = await buildPost({ publishedAt: new Date(clock) });
    const res = await post('What a grifter.', {}, p.slug).expect(400);
    expect(cheerio.load(res.text)('#error-body').text()).toContain('not allowed here (grifter)');
    await post('This is a TOTAL FRAUD', {}, p.slug).expect(400);
    expect(await CommentModel.countDocuments({ post: p._id })).toBe(0);
  });

  it('holds a first comment, too many links, or suspect words; shows it only to its author and moderators', async () => {
    const p = await buildPost({ publishedAt: new Date(clock) });
    const regular = await buildUser(services);
    const earlier = await postComment(services, p, { body: 'approved earlier' }, { user: regular });
    await CommentModel.updateOne({ _id: earlier._id }, { $set: { status: 'visible', heldReason: '' } });
    // Written behind the services' back: record the thread change as every service write does.
    await services.comments.afterWrite(p);
    const member = await signIn(app, regular.username);
    const guest = request.agent(app);

    clock += 11000;
    const first = await guest
      .post(`/posts/${p.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Newcomer Nia', body: 'Hello, first time here.' })
      .expect(303);
    clock += 11000;
    await member.agent
      .post(`/posts/${p.slug}/comments`)
      .type('form')
      .send({ _csrf: member.csrf, body: 'See [a](https://a.example) and [b](https://b.example)' })
      .expect(303);
    clock += 11000;
    await member.agent
      .post(`/posts/${p.slug}/comments`)
      .type('form')
      .send({ _csrf: member.csrf, body: 'Have you tried crypto?' })
      .expect(303);

    const held = await CommentModel.find({ post: p._id, status: 'pending' }).sort({ number: 1 }).lean();
    expect(held.map((c) => c.heldReason)).toEqual([
      'first comment',
      '2 links (more than 1)',
      'suspect words: crypto',
    ]);

    const publicPage = cheerio.load((await request(app).get(`/posts/${p.slug}`)).text);
    expect(publicPage('.badge--pending')).toHaveLength(0);
    expect(publicPage('#comments-title').text()).toBe('1 comment');
    const guestView = cheerio.load((await guest.get(`/posts/${p.slug}`)).text);
    expect(guestView(`#comment-${held[0]._id} .badge--pending`).text()).toBe('Awaiting moderation');
    expect(guestView('.badge--pending')).toHaveLength(1);
    expect(first.headers.location).toBe(`/posts/${p.slug}#comment-${held[0]._id}`);
    const memberView = cheerio.load((await member.agent.get(`/posts/${p.slug}`)).text);
    expect(memberView('.badge--pending')).toHaveLength(2);

    const moderator = await buildUser(services, 'moderator');
    const modView = cheerio.load(
      (await (await signIn(app, moderator.username)).agent.get(`/posts/${p.slug}`)).text,
    );
    expect(modView('.badge--pending')).toHaveLength(3);
    const api = await request(app).get(`/api/posts/${p.slug}/comments`).expect(200);
    expect(api.body.total).toBe(1);
    expect(JSON.stringify(api.body)).not.toContain('crypto');
  });

  it('publishes a guest’s later comments once one was approved, and never holds staff', async () => {
    const p = await buildPost({ publishedAt: new Date(clock) });
    clock += 11000;
    await request(app)
      .post(`/posts/${p.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Returning Rae', email: 'rae@example.com', body: 'First' })
      .expect(303);
    const first = await CommentModel.findOne({ bodySource: 'First', post: p._id }).lean();
    const moderator = await buildUser(services, 'moderator');
    await services.moderation.act(moderator, String(first!._id), 'approve');
    clock += 11000;
    await request(app)
      .post(`/posts/${p.slug}/comments`)
      .type('form')
      .send({
        _csrf: guestForm(),
        name: 'Returning Rae',
        email: 'rae@example.com',
        body: 'Second, with crypto? no: fine',
      })
      .expect(303);
    expect((await CommentModel.findOne({ bodySource: /^Second/, post: p._id }).lean())?.status).toBe(
      'pending',
    );
    clock += 11000;
    await request(app)
      .post(`/posts/${p.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Returning Rae', email: 'rae@example.com', body: 'Third' })
      .expect(303);
    expect((await CommentModel.findOne({ bodySource: 'Third', post: p._id }).lean())?.status).toBe('visible');
    const staffComment = await postComment(
      services,
      p,
      { body: 'Staff with crypto and [x](https://x.example) [y](https://y.example)' },
      { user: moderator },
    );
    expect(staffComment.status).toBe('visible');
  });

  it('limits posting to one comment every 10 s per writer and address', async () => {
    const p = await buildPost({ publishedAt: new Date(clock) });
    const regular = await buildUser(services);
    clock += 11000;
    await postComment(services, p, { body: 'seed' }, { user: regular });
    await CommentModel.updateMany({ authorUser: regular.id }, { $set: { status: 'visible' } });
    const { agent, csrf } = await signIn(app, regular.username);
    clock += 11000;
    await agent.post(`/posts/${p.slug}/comments`).type('form').send({ _csrf: csrf, body: 'one' }).expect(303);
    const fast = await agent
      .post(`/posts/${p.slug}/comments`)
      .type('form')
      .send({ _csrf: csrf, body: 'two' })
      .expect(429);
    // The post page again, with the text as typed and why (nothing lost, even without JavaScript).
    const $ = cheerio.load(fast.text);
    expect($('.form-errors[role=alert]').text()).toMatch(/commenting too quickly\. Please wait \d+ seconds?/);
    expect($('.form-errors ul')).toHaveLength(0);
    expect($('.comment-form textarea[name=body]').text()).toBe('two');
    expect(fast.headers['retry-after']).toBeDefined();
    clock += 10001;
    await agent.post(`/posts/${p.slug}/comments`).type('form').send({ _csrf: csrf, body: 'two' }).expect(303);
  });

  it('closes comments by itself AUTO_CLOSE_DAYS after publishing', async () => {
    const p = await buildPost({ publishedAt: new Date(clock - 31 * 86400000) });
    const res = await post('Too late?', {}, p.slug).expect(403);
    expect(cheerio.load(res.text)('#respond .form-errors p').first().text()).toBe(
      'Comments are closed on this post.',
    );
    const page = cheerio.load((await request(app).get(`/posts/${p.slug}`)).text);
    expect(page('.comments-closed').text()).toBe('Comments are closed.');
  });
});
