import * as cheerio from 'cheerio';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { createClient } from 'redis';
import { Types } from 'mongoose';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, csrfFrom, PASSWORD } from '../../fixtures/users';
import { buildTestApp, testLogger } from '../../setup/app';
import { listenLive, rawResponse as raw } from '../../setup/live';
import { PageCache } from '../../../server/rendering/page-cache';
import { invalidateAcrossProcesses } from '../../../server/rendering/page-invalidation';
import { redisBus } from '../../../server/cluster/bus';
import { DomainEvents } from '../../../server/services/events';

describe('pages for readers without a session', () => {
  const test = buildTestApp();
  const { app, services } = test;

  it('are built once, then served from memory with a strong ETag, 304 on revalidation', async () => {
    const post = await buildPost();
    const first = await request(app).get(`/posts/${post.slug}`).expect(200);
    expect(first.headers['x-page-cache']).toBe('miss');
    expect(first.headers['cache-control']).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=30');
    expect(first.headers.vary).toBe('Accept-Encoding, Cookie');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const second = await request(app).get(`/posts/${post.slug}`).expect(200);
    expect(second.headers['x-page-cache']).toBe('hit');
    expect(second.text).toBe(first.text);
    await request(app).get(`/posts/${post.slug}`).set('If-None-Match', etag).expect(304);
  });

  it('are sent gzip or brotli as the browser accepts, the same page either way', async () => {
    const post = await buildPost();
    for (let i = 0; i < 30; i += 1)
      await postComment(services, post, { name: `Reader ${i}`, body: `Comment ${i} `.repeat(20) });
    const server = await listenLive(test);
    try {
      const url = `${server.url}/posts/${post.slug}`;
      const plain = await raw(url);
      expect(plain.headers['content-encoding']).toBeUndefined();
      const gz = await raw(url, { 'accept-encoding': 'gzip, deflate' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      const br = await raw(url, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect(br.body.length).toBeLessThan(plain.body.length / 4);
    } finally {
      await server.close();
    }
  });

  it('show a new comment at once: the write drops the cached page', async () => {
    const post = await buildPost();
    await request(app).get(`/posts/${post.slug}`).expect(200);
    await request(app).get('/').expect(200);
    await postComment(services, post, { name: 'Newcomer', body: 'Fresh thoughts' });
    const page = await request(app).get(`/posts/${post.slug}`).expect(200);
    expect(page.headers['x-page-cache']).toBe('miss');
    expect(cheerio.load(page.text)('.comment__author').text()).toContain('Newcomer');
    expect((await request(app).get('/').expect(200)).headers['x-page-cache']).toBe('miss');
  });

  it('are personal (private, built per request) with a session cookie or a reply form open', async () => {
    const post = await buildPost();
    const withSession = await request(app)
      .get(`/posts/${post.slug}`)
      .set('Cookie', 'sid=someone')
      .expect(200);
    expect(withSession.headers['cache-control']).toBe('private, no-cache');
    expect(withSession.headers['x-page-cache']).toBeUndefined();
    const c = await postComment(services, post, { name: 'Ana', body: 'Hello' });
    const reply = await request(app).get(`/posts/${post.slug}?replyto=${c._id}`).expect(200);
    expect(reply.headers['x-page-cache']).toBeUndefined();
    expect(cheerio.load(reply.text)('#respond-title').text()).toContain('Reply to Ana');
  });

  it('never keep a page built for a session, however its cookie is spelled', async () => {
    const user = await buildUser(services, 'commenter', `Spelled${Date.now() % 100000}`);
    const login = request.agent(app);
    const form = await login.get('/login').expect(200);
    const signedIn = await login
      .post('/login')
      .type('form')
      .send({ username: user.username, password: PASSWORD, _csrf: csrfFrom(form.text), next: '/' })
      .expect(303);
    const sid = /sid=([^;]+)/.exec(String(signedIn.headers['set-cookie']))![1];
    // "sid =" is the same cookie to the parser express-session uses.
    const theirs = await request(app).get('/').set('Cookie', `sid =${sid}`).expect(200);
    expect(theirs.text).toContain(user.username);
    const guest = await request(app).get('/').expect(200);
    expect(guest.text).not.toContain(user.username);
    expect(cheerio.load(guest.text)('a[href="/login"]').length).toBe(1);
  });

  it('keep a page under its one canonical address only', async () => {
    const post = await buildPost();
    for (const variant of ['?order=zzz', '?page=1', '?page=01']) {
      await request(app).get(`/posts/${post.slug}${variant}`).expect(200);
      const again = await request(app).get(`/posts/${post.slug}${variant}`).expect(200);
      expect(again.headers['x-page-cache']).toBeUndefined();
    }
  });

  it('link static files by content hash, cached for good', async () => {
    const home = await request(app).get('/').expect(200);
    const href = cheerio.load(home.text)('link[rel=stylesheet]').attr('href')!;
    expect(href).toMatch(/^\/css\/site\.[0-9a-f]{10}\.css$/);
    const css = await request(app).get(href).expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.text).toContain('body');
    // Only the current hash: another is not the file, and is not cached for a year.
    await request(app).get('/css/site.0000000000.css').expect(404);
  });

  it('have an icon: the page links its SVG, and /favicon.ico is there for those who ask by name', async () => {
    const home = await request(app).get('/').expect(200);
    const href = cheerio.load(home.text)('link[rel=icon]').attr('href')!;
    expect(href).toMatch(/^\/favicon\.[0-9a-f]{10}\.svg$/);
    const svg = await request(app).get(href).expect(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Before, every browser's first visit asked for it and got the HTML 404 page.
    const ico = await request(app).get('/favicon.ico').buffer(true).expect(200);
    expect(ico.headers['content-type']).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)$/);
    expect((ico.body as Buffer).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  });
});

describe('page invalidation across processes (Redis)', () => {
  it('a write in one process drops the page in another', async () => {
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    const [eventsA, eventsB] = [new DomainEvents(), new DomainEvents()];
    const [cacheA, cacheB] = [new PageCache(10, 60000), new PageCache(10, 60000)];
    const stops = [
      await invalidateAcrossProcesses(eventsA, cacheA, redisBus(redis, testLogger())),
      await invalidateAcrossProcesses(eventsB, cacheB, redisBus(redis, testLogger())),
    ];
    try {
      const postId = new Types.ObjectId();
      cacheB.store('/posts/x', [`post:${postId}`], cacheB.ticket(), '<p>old</p>');
      cacheB.store('/other', ['post:someone-else'], cacheB.ticket(), '<p>other</p>');
      eventsA.emit('comment.deleted', { postId, commentId: new Types.ObjectId() });
      for (let i = 0; i < 50 && cacheB.get('/posts/x'); i += 1) await new Promise((r) => setTimeout(r, 20));
      expect(cacheB.get('/posts/x')).toBeUndefined();
      expect(cacheB.get('/other')).toBeDefined();
    } finally {
      for (const stop of stops) await stop();
      await redis.quit();
    }
  });
});
