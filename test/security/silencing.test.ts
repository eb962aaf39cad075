/**
 * Security regressions, part 2: one reader silencing or locking out another, and edits that
 * slipped past moderation.
 */
import * as passwords from '../../server/lib/passwords';
import * as cheerio from 'cheerio';
import { Types } from 'mongoose';
import request from 'supertest';
import { CommentModel } from '../../models/comment';
import { UserModel } from '../../models/user';
import { buildPost, postComment } from '../fixtures/factories';
import { buildUser, PASSWORD, signIn } from '../fixtures/users';
import { buildTestApp, guestForm } from '../setup/app';

describe('no reader can silence, lock out or slip past the rules', () => {
  // Behind a proxy, so a test can speak from several addresses (X-Forwarded-For).
  const { app, services, config } = buildTestApp({
    TRUST_PROXY: 'true',
    REPORTS_TO_HIDE: '3',
    HOLD_LINKS_OVER: '2',
    BANNED_WORDS: 'scamcoin',
    LOGIN_MAX_FAILURES: '5',
  });

  async function report(commentId: unknown, from: { ip: string; agent?: request.Agent; csrf?: string }) {
    const client = from.agent ?? request(app);
    return client
      .post(`/comments/${commentId}/report`)
      .set('X-Forwarded-For', from.ip)
      .type('form')
      .send({ _csrf: from.csrf ?? guestForm(), reason: 'I do not like it' });
  }

  /** Reports from two-month-old accounts, one at each address. */
  async function reportAsEstablishedReaders(commentId: unknown, ips: string[]) {
    const readers = await Promise.all(ips.map(() => buildUser(services)));
    await UserModel.collection.updateMany(
      { _id: { $in: readers.map((u) => new Types.ObjectId(u.id)) } },
      { $set: { createdAt: new Date(Date.now() - 60 * 86400000) } },
    );
    for (const [i, reader] of readers.entries()) {
      const { agent, csrf } = await signIn(app, reader.username);
      await report(commentId, { ip: ips[i], agent, csrf });
    }
  }

  it('two fresh accounts and a cookieless visitor on one address cannot hide a comment', async () => {
    const post = await buildPost();
    const target = await postComment(services, post, {
      name: 'Outspoken Olive',
      body: 'An unpopular opinion',
    });
    for (const _ of [1, 2]) {
      const fresh = await buildUser(services);
      const { agent, csrf } = await signIn(app, fresh.username);
      expect((await report(target._id, { ip: '203.0.113.9', agent, csrf })).status).toBe(200);
    }
    expect((await report(target._id, { ip: '203.0.113.9' })).status).toBe(200);
    expect(await CommentModel.findById(target._id).lean()).toMatchObject({
      status: 'visible',
      reportCount: 3,
    });
  });

  it('guests on three addresses count half each: still shown; established accounts hide it', async () => {
    const post = await buildPost();
    const target = await postComment(services, post, { body: 'Reported by many' });
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) await report(target._id, { ip });
    expect((await CommentModel.findById(target._id).lean())?.status).toBe('visible');

    await reportAsEstablishedReaders(target._id, ['198.51.100.10', '198.51.100.11']);
    expect((await CommentModel.findById(target._id).lean())?.status).toBe('pending');
  });

  it('a staff comment is never hidden by reports: it stays up and waits in the reported queue', async () => {
    const post = await buildPost();
    const admin = await buildUser(services, 'admin');
    const target = await postComment(services, post, { body: 'Moderator note' }, { user: admin });
    await reportAsEstablishedReaders(target._id, ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']);
    expect(await CommentModel.findById(target._id).lean()).toMatchObject({
      status: 'visible',
      reportCount: 4,
    });
    const { agent } = await signIn(app, admin.username);
    const queue = cheerio.load((await agent.get('/moderation?queue=reported').expect(200)).text);
    expect(queue('.queue-item .comment__body').text()).toContain('Moderator note');
  });

  it('wrong passwords from one address do not lock the account for its owner elsewhere', async () => {
    const owner = await buildUser(services, 'admin');
    const attacker = request.agent(app);
    for (let i = 0; i < 6; i += 1) {
      const page = cheerio.load((await attacker.get('/login').set('X-Forwarded-For', '203.0.113.66')).text);
      await attacker
        .post('/login')
        .set('X-Forwarded-For', '203.0.113.66')
        .type('form')
        .send({ _csrf: page('input[name=_csrf]').val(), username: owner.username, password: 'wrong guess!' });
    }
    // The attacker's address is stopped for this account…
    const page = cheerio.load((await attacker.get('/login').set('X-Forwarded-For', '203.0.113.66')).text);
    await attacker
      .post('/login')
      .set('X-Forwarded-For', '203.0.113.66')
      .type('form')
      .send({ _csrf: page('input[name=_csrf]').val(), username: owner.username, password: PASSWORD })
      .expect(429);
    // …while the owner signs in from home (slowed down, not refused).
    const home = request.agent(app);
    const form = cheerio.load((await home.get('/login').set('X-Forwarded-For', '198.51.100.7')).text);
    await home
      .post('/login')
      .set('X-Forwarded-For', '198.51.100.7')
      .type('form')
      .send({
        _csrf: form('input[name=_csrf]').val(),
        username: owner.username,
        password: PASSWORD,
        next: '/',
      })
      .expect(303);
  });

  it('a sign-in form with its fields sent twice is a 400 page, and the server keeps serving', async () => {
    const agent = request.agent(app);
    const page = cheerio.load((await agent.get('/login')).text);
    const token = String(page('input[name=_csrf]').val());
    const res = await agent
      .post('/login')
      .type('form')
      .send(`username=a&username=b&password=x&_csrf=${encodeURIComponent(token)}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await request(app).get('/').expect(200);
  });

  it('an unknown name is checked against a stand-in hash as costly as a real one (no timing tell)', async () => {
    const verify = jest.spyOn(passwords, 'verifyPassword');
    await services.users
      .authenticate('nobody-by-this-name', 'some password', '192.0.2.200')
      .catch(() => undefined);
    const standIn = verify.mock.calls[verify.mock.calls.length - 1][1];
    expect(passwords.costOf(standIn)).toBe(config.passwordCost);
    verify.mockRestore();
  });

  it('a password longer than 72 bytes is refused at registration, not silently cut', async () => {
    const agent = request.agent(app);
    const page = cheerio.load((await agent.get('/register')).text);
    const res = await agent
      .post('/register')
      .type('form')
      .send({
        _csrf: page('input[name=_csrf]').val(),
        username: 'Long Pass',
        password: 'é'.repeat(40),
        email: '',
      })
      .expect(400);
    expect(cheerio.load(res.text)('#error-password').text()).toContain('72 bytes');
  });

  describe('edits pass the same gate as new comments', () => {
    async function editAs(user: { username: string }, commentId: unknown, body: string) {
      const { agent, csrf } = await signIn(app, user.username);
      return agent.post(`/comments/${commentId}/edit`).type('form').send({ _csrf: csrf, body });
    }

    it('a clean comment edited to carry five links is held; one edited to a banned word is refused', async () => {
      const post = await buildPost();
      const user = await buildUser(services);
      const comment = await postComment(services, post, { body: 'Clean at first' }, { user });
      const links = [1, 2, 3, 4, 5].map((n) => `[${n}](https://spam${n}.example)`).join(' ');
      await editAs(user, comment._id, `Now with ${links}`);
      expect(await CommentModel.findById(comment._id).lean()).toMatchObject({ status: 'pending' });
      const page = cheerio.load((await request(app).get(`/posts/${post.slug}`)).text);
      expect(page(`#comment-${comment._id}`)).toHaveLength(0);

      const other = await postComment(services, post, { body: 'Also clean' }, { user });
      const refused = await editAs(user, other._id, 'Buy scamcoin today');
      expect(refused.status).toBe(400);
      expect((await CommentModel.findById(other._id).lean())?.bodySource).toBe('Also clean');
    });

    it('a suspended writer cannot edit, nor can anyone on a closed post', async () => {
      const post = await buildPost();
      const user = await buildUser(services);
      const admin = await buildUser(services, 'admin');
      const comment = await postComment(services, post, { body: 'Before the suspension' }, { user });
      await services.sanctions.sanctionUser(admin, user.id, 3, 'cooling off');
      expect((await editAs(user, comment._id, 'Sneaky edit')).status).toBe(403);

      const second = await buildUser(services);
      const mine = await postComment(services, post, { body: 'Before closing' }, { user: second });
      await services.posts.setCommentStatus(String(post._id), 'closed');
      expect((await editAs(second, mine._id, 'After closing')).status).toBe(403);
      expect((await CommentModel.findById(mine._id).lean())?.bodySource).toBe('Before closing');
    });
  });
});
