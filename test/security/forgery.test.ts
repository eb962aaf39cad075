/**
 * Security regressions, part 1: requests that come from elsewhere.
 * Each test is one attack from the review, and the outcome it must have now.
 */
import * as cheerio from 'cheerio';
import request from 'supertest';
import WebSocket from 'ws';
import { CommentModel } from '../../models/comment';
import { LetterModel } from '../../models/letter';
import { ReportModel } from '../../models/report';
import { buildPost, postComment } from '../fixtures/factories';
import { buildTestApp, guestForm } from '../setup/app';
import { listenLive, socketClient } from '../setup/live';

describe('attacks from other sites and forged forms', () => {
  const test = buildTestApp();
  const { app, services } = test;
  let live: Awaited<ReturnType<typeof listenLive>>;

  beforeAll(async () => {
    live = await listenLive(test);
  });
  afterAll(async () => live.close());

  it('Origin: null on the Socket.IO handshake (polling) is refused with a 403, and the server stays up', async () => {
    const res = await fetch(`${live.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { Origin: 'null' },
    });
    expect(res.status).toBe(403);
    const garbage = await fetch(`${live.url}/socket.io/?EIO=4&transport=polling`, {
      headers: { Origin: 'http://[not a url' },
    });
    expect(garbage.status).toBe(403);
    expect((await fetch(`${live.url}/healthz`)).status).toBe(200);
  });

  it('Origin: null on the WebSocket upgrade is refused, and the server stays up', async () => {
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${live.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, {
        origin: 'null',
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => resolve(-1));
    });
    expect(refused).not.toBe(101);
    const ok = await socketClient(live.url);
    ok.disconnect();
  });

  it.each([
    ['Origin: https://evil.example', { Origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Origin: null with no Sec-Fetch-Site', { Origin: 'null' }],
  ])(
    'a guest comment posted from another site (%s) is refused, even with a valid token',
    async (_name, headers) => {
      const post = await buildPost();
      const res = await request(app)
        .post(`/posts/${post.slug}/comments`)
        .set(headers)
        .type('form')
        .send({ _csrf: guestForm(), name: 'Victim', body: 'Posted by another site', parent: '' })
        .expect(403);
      expect(cheerio.load(res.text)('main').text()).toContain('came from another site');
      expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
    },
  );

  it('our own form in a browser (Sec-Fetch-Site: same-origin, Origin: null under no-referrer) goes through', async () => {
    const post = await buildPost();
    await request(app)
      .post(`/posts/${post.slug}/comments`)
      .set({ 'Sec-Fetch-Site': 'same-origin', Origin: 'null' })
      .type('form')
      .send({ _csrf: guestForm(), name: 'Reader', body: 'From our page', parent: '' })
      .expect(303);
  });

  it('a guest form without a token, or with a forged or expired one, is refused', async () => {
    const post = await buildPost();
    const expired = guestForm(undefined).replace(/^g\.(\d+)\./, (_m, h) => `g.${Number(h) - 30}.`);
    for (const token of [undefined, 'g.1.forged', expired, 'x'.repeat(43)]) {
      await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ ...(token && { _csrf: token }), name: 'Guest', body: 'No token', parent: '' })
        .expect(403);
    }
    expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
  });

  it('the Ask form and the report form from another site are refused', async () => {
    const ask = await request(app)
      .post('/ask')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ _csrf: guestForm(), subject: 'Help', body: 'A long enough question for the form.' })
      .expect(403);
    expect(ask.text).toContain('another site');
    expect(await LetterModel.countDocuments({})).toBe(0);

    const post = await buildPost();
    const target = await postComment(services, post, { body: 'Fine comment' });
    await request(app)
      .post(`/comments/${target._id}/report`)
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ _csrf: guestForm(), reason: 'spam' })
      .expect(403);
    expect(await ReportModel.countDocuments({ comment: target._id })).toBe(0);
  });

  it('a form sent twice (a retry after a timeout: same form, same text) makes one comment', async () => {
    const post = await buildPost();
    const form = cheerio.load((await request(app).get(`/posts/${post.slug}`)).text);
    const token = String(form('input[name=_csrf]').val());
    const submission = String(form('input[name=_submission]').val());
    expect(submission).toMatch(/^[\w-]{16}$/);
    const send = () =>
      request(app).post(`/posts/${post.slug}/comments`).type('form').send({
        _csrf: token,
        _submission: submission,
        name: 'Retrying Rae',
        body: 'Did this go through?',
        parent: '',
      });
    const [first, second] = await Promise.all([send(), send()]);
    const third = await send();
    expect([first.status, second.status, third.status]).toEqual([303, 303, 303]);
    expect(new Set([first.headers.location, second.headers.location, third.headers.location]).size).toBe(1);
    expect(await CommentModel.countDocuments({ post: post._id })).toBe(1);
    // A different text from the same page is a new comment; so is the same text from another guest's page.
    await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({
        _csrf: token,
        _submission: submission,
        name: 'Retrying Rae',
        body: 'And a second thought.',
        parent: '',
      })
      .expect(303);
    const other = cheerio.load((await request(app).get(`/posts/${post.slug}`)).text);
    await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({
        _csrf: token,
        _submission: String(other('input[name=_submission]').val()),
        name: 'Retrying Rae',
        body: 'Did this go through?',
        parent: '',
      })
      .expect(303);
    expect(await CommentModel.countDocuments({ post: post._id })).toBe(3);
  });
});
