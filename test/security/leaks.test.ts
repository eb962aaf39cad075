/**
 * Security regressions, part 3: what pages and sockets show that they should not, letter-writer
 * identity, redirects, secrets and the comment pace.
 */
import * as cheerio from 'cheerio';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { CommentModel } from '../../models/comment';
import { LetterModel } from '../../models/letter';
import { PostModel } from '../../models/post';
import { ensureSessionSecret, loadConfig } from '../../server/config';
import { safeLocalPath } from '../../server/controllers/input/fields';
import { buildPost, postComment } from '../fixtures/factories';
import { buildUser, signIn } from '../fixtures/users';
import { buildTestApp, guestForm } from '../setup/app';
import { join, listenLive, next, pause, socketClient } from '../setup/live';

describe('nothing shown that should not be, no name borrowed', () => {
  const test = buildTestApp();
  const { app, services } = test;

  it('a post taken back to draft takes its comments off the author’s profile', async () => {
    const post = await buildPost({ title: 'Soon a draft again' });
    const user = await buildUser(services);
    await postComment(services, post, { body: 'My secret opinion' }, { user });
    await PostModel.updateOne({ _id: post._id }, { $set: { status: 'draft' } });
    const profile = await request(app)
      .get(`/users/${encodeURIComponent(user.username)}`)
      .expect(200);
    expect(profile.text).not.toContain('Soon a draft again');
    expect(profile.text).not.toContain('My secret opinion');
  });

  it('a deleted comment’s author is not named in its replies, on the page or in the API', async () => {
    const post = await buildPost();
    const user = await buildUser(services);
    const parent = await postComment(services, post, { body: 'Regrettable' }, { user });
    let last = parent;
    for (let depth = 0; depth < 6; depth += 1) {
      last = await postComment(services, post, { parent: String(last._id), body: `Reply ${depth}` });
    }
    await services.ownComments.deleteOwn(user, String(parent._id));
    const page = await request(app).get(`/posts/${post.slug}`).expect(200);
    expect(cheerio.load(page.text)('.comment__replying-to').text()).not.toContain(user.username);
    const api = await request(app).get(`/api/posts/${post.slug}/comments`).expect(200);
    expect(JSON.stringify(api.body)).not.toContain(user.username);
  });

  describe('letter writers', () => {
    async function letterPost(pseudonym: string) {
      const letter = await LetterModel.create({
        reference: `Q-${Math.random().toString(36).slice(2, 8).toUpperCase()}`,
        subject: 'My boss',
        body: 'A question.',
        pseudonym,
        email: 'writer@example.com',
        consentPublish: true,
        status: 'answered',
      });
      const post = await buildPost({ letter: letter._id });
      return {
        post,
        link: `/posts/${post.slug}/letter-writer/${services.letters.letterWriterToken(letter._id, post._id)}`,
      };
    }

    it('a letter-writer session must send its own token', async () => {
      const { post, link } = await letterPost('Worried in Ohio');
      const lw = request.agent(app);
      await lw.get(link).expect(303);
      await lw.post(`/posts/${post.slug}/comments`).type('form').send({ body: 'No token' }).expect(403);
      await lw
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: guestForm(), body: 'A guest token is not the session’s' })
        .expect(403);
      expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
    });

    it.each(['Worried in Ohio (letter writer)', 'worried in ohio', 'The Letter Writer'])(
      'a guest cannot comment as %j',
      async (name) => {
        const { post } = await letterPost('Worried in Ohio');
        const res = await request(app)
          .post(`/posts/${post.slug}/comments`)
          .type('form')
          .send({ _csrf: guestForm(), name, body: 'It is me, really', parent: '' })
          .expect(400);
        expect(cheerio.load(res.text)('#error-name').text()).toContain('letter writer');
      },
    );

    it('a pseudonym near the name limit still makes a valid name with the mark', async () => {
      const { post, link } = await letterPost('A'.repeat(60));
      const lw = request.agent(app);
      await lw.get(link).expect(303);
      const form = cheerio.load((await lw.get(`/posts/${post.slug}`)).text);
      await lw
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: form('input[name=_csrf]').val(), body: 'Thank you all' })
        .expect(303);
      const comment = await CommentModel.findOne({ post: post._id }).lean();
      expect(comment?.authorName.endsWith('(letter writer)')).toBe(true);
      expect(comment!.authorName.length).toBeLessThanOrEqual(60);
    });

    it('an account’s ban still applies behind a letter-writer link', async () => {
      const { post, link } = await letterPost('Banned Bob');
      const user = await buildUser(services);
      const admin = await buildUser(services, 'admin');
      await services.sanctions.sanctionUser(admin, user.id, 0, 'banned');
      const { agent } = await signIn(app, user.username);
      await agent.get(link).expect(303);
      const form = cheerio.load((await agent.get(`/posts/${post.slug}`)).text);
      await agent
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: form('input[name=_csrf]').val(), body: 'Back through the side door' })
        .expect(403);
    });
  });

  it('two posts at once from one address: the pace limit lets exactly one through', async () => {
    const paced = buildTestApp({ COMMENT_INTERVAL_SECONDS: '10', TRUST_PROXY: 'true' });
    const post = await buildPost();
    const send = (i: number) =>
      request(paced.app)
        .post(`/posts/${post.slug}/comments`)
        .set('X-Forwarded-For', '203.0.113.77')
        .type('form')
        .send({ _csrf: guestForm(), name: `Fast ${i}`, body: `Quick ${i}`, parent: '' });
    const statuses = (await Promise.all([send(1), send(2), send(3)])).map((r) => r.status).sort();
    expect(statuses).toEqual([303, 429, 429]);
    expect(await CommentModel.countDocuments({ post: post._id })).toBe(1);
  });

  it('back= paths that a browser resolves to another site are not followed', () => {
    for (const bad of [
      '/a/..//evil.com',
      '//evil.com',
      '/\\evil.com',
      'https://evil.com',
      '/%2F/../..//x.com',
    ]) {
      const safe = safeLocalPath(bad, '/');
      expect(new URL(safe, 'http://site.test').host).toBe('site.test');
    }
    expect(safeLocalPath('/moderation?queue=pending', '/')).toBe('/moderation?queue=pending');
  });

  it('without SESSION_SECRET outside production, a random secret is made once and kept in the data directory', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'advice-secret-'));
    const first = loadConfig({ DATA_DIR: dataDir });
    expect(ensureSessionSecret(first)).toBe('generated');
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(ensureSessionSecret(second)).toBe('stored');
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dataDir, 'session-secret');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    expect(loadConfig({ DATA_DIR: dataDir }).sessionSecret).toBe('');
  });

  it('a socket leaves a post’s room when the post goes back to draft', async () => {
    const server = await listenLive(test);
    try {
      const post = await buildPost();
      const reader = await socketClient(server.url);
      expect((await join(reader, String(post._id))).ok).toBe(true);
      const gone = next<{ unpublished?: boolean }>(reader, 'post:status');
      const editor = await buildUser(services, 'editor');
      void editor;
      await services.posts.update(String(post._id), {
        title: post.title,
        slug: post.slug,
        letter: post.letterSource,
        answer: post.answerSource,
        tags: '',
        authorName: post.authorName,
        status: 'draft',
        commentStatus: 'open',
        publishAt: '',
      });
      expect((await gone).unpublished).toBe(true);
      await pause(50);
      const rooms = await server.live.io.in(`post:${String(post._id)}`).fetchSockets();
      expect(rooms).toHaveLength(0);
      reader.disconnect();
    } finally {
      await server.close();
    }
  });
});
