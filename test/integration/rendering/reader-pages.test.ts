import * as cheerio from 'cheerio';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { UserModel } from '../../../models/user';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, csrfFrom, PASSWORD } from '../../fixtures/users';
import { buildTestApp, testLogger } from '../../setup/app';
import { createApp } from '../../../server/app';
import { mongooseHealth } from '../../../server/db/connection';
import { listenLive, rawResponse as raw } from '../../setup/live';

/** Signs in through the real form at `url`; returns the session cookie as a browser would send it. */
async function sessionCookie(url: string, username: string): Promise<string> {
  const cookieOf = (res: Response) => /^(sid=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  const form = await fetch(`${url}/login`);
  const first = cookieOf(form)!;
  const login = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: first, 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ username, password: PASSWORD, _csrf: csrfFrom(await form.text()) }),
  });
  expect(login.status).toBe(303);
  return cookieOf(login)!;
}

describe('signed-in readers’ pages made from the page kept for everyone', () => {
  const test = buildTestApp();
  const { app, services } = test;

  it('are the kept home and tag pages with the reader’s own header, byte for byte what the app builds', async () => {
    const post = await buildPost({ tags: ['reader-pages'] });
    const nora = await buildUser(services);
    const server = await listenLive(test);
    try {
      const cookie = await sessionCookie(server.url, nora.username);
      for (const path of ['/', '/tags/reader-pages']) {
        // Built by Express (the app alone never takes this path), then the page kept for everyone.
        const built = await request(app).get(path).set('Cookie', cookie).expect(200);
        expect(built.headers['x-page-cache']).toBeUndefined();
        await raw(`${server.url}${path}`);
        expect((await raw(`${server.url}${path}`)).headers['x-page-cache']).toBe('hit');

        const gz = await raw(`${server.url}${path}`, { cookie, 'accept-encoding': 'gzip, deflate, br' });
        expect(gz.headers['x-page-cache']).toBe('reader');
        expect(gz.headers['content-encoding']).toBe('gzip');
        expect(gz.headers['cache-control']).toBe('private, no-cache');
        expect(gz.headers.etag).toBeUndefined();
        expect(gz.headers['set-cookie']).toBeUndefined();
        expect(gz.headers['content-security-policy']).toBe(built.headers['content-security-policy']);
        // Node's zlib checks the stitched stream's checksum and length.
        expect(gunzipSync(gz.body).toString()).toBe(built.text);
        const plain = await raw(`${server.url}${path}`, { cookie });
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.body.toString()).toBe(built.text);

        const $ = cheerio.load(built.text);
        expect($('body').attr('data-signed-in')).toBe('');
        expect($('.site-nav').text()).toContain(nora.username);
        expect($('.site-nav').text()).not.toContain('Sign in');
        expect($(`a[href="/posts/${post.slug}"]`)).toHaveLength(1);
      }
    } finally {
      await server.close();
    }
  });

  it('show a new reply’s count and a warning at once, and a signed-out cookie gets the page as everyone does', async () => {
    const post = await buildPost();
    const nora = await buildUser(services);
    const server = await listenLive(test);
    try {
      const cookie = await sessionCookie(server.url, nora.username);
      await raw(`${server.url}/`);
      const header = async () => {
        const res = await raw(`${server.url}/`, { cookie });
        return { res, $: cheerio.load(res.body.toString()) };
      };
      expect((await header()).$('[data-unread-replies]').attr('hidden')).toBeDefined();

      const mine = await postComment(services, post, { body: 'Mine.' }, { user: nora });
      await postComment(services, post, { name: 'Someone', body: 'A reply.', parent: String(mine._id) });
      await raw(`${server.url}/`);
      const after = await header();
      expect(after.res.headers['x-page-cache']).toBe('reader');
      expect(after.$('[data-unread-count]').text()).toBe('1');

      const moderator = await buildUser(services, 'moderator');
      await services.warnings.warn(moderator, nora.id, 'Keep it kind.');
      const warned = await header();
      expect(warned.res.headers['x-page-cache']).toBe('reader');
      expect(warned.$('.warning-banner').text()).toContain('Keep it kind.');
      expect(warned.$('.warning-banner input[name=_csrf]').val()).toBe(
        warned.$('.site-nav input[name=_csrf]').val(),
      );
      expect(warned.$('.warning-banner input[name=back]').val()).toBe('/');

      // Signed out (the session is gone): the page as for a reader without a session.
      const csrf = csrfFrom(warned.res.body.toString());
      const out = await fetch(`${server.url}/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({ _csrf: csrf }),
      });
      expect(out.status).toBe(303);
      const gone = await header();
      expect(gone.res.headers['x-page-cache']).toBe('reader');
      expect(gone.$('.site-nav').text()).toContain('Sign in');
      expect(gone.$('.site-nav').text()).not.toContain(nora.username);
    } finally {
      await server.close();
    }
  });

  it('leave moderators, editors and renamed-away sessions to the app; a forged cookie gets the page for everyone', async () => {
    const moderator = await buildUser(services, 'moderator');
    const nora = await buildUser(services);
    const server = await listenLive(test);
    try {
      await raw(`${server.url}/`);
      const modCookie = await sessionCookie(server.url, moderator.username);
      const mod = await raw(`${server.url}/`, { cookie: modCookie });
      expect(mod.headers['x-page-cache']).toBeUndefined();
      expect(cheerio.load(mod.body.toString())('.staff-menu')).toHaveLength(1);

      const cookie = await sessionCookie(server.url, nora.username);
      // An editor's post page has Pick buttons: never the frame readers share.
      const post = await buildPost();
      await postComment(services, post, { name: 'Reader', body: 'Pick me.' });
      const postUrl = `${server.url}/posts/${post.slug}`;
      await raw(postUrl, { cookie });
      expect((await raw(postUrl, { cookie })).headers['x-page-cache']).toBe('reader');
      const editor = await buildUser(services, 'editor');
      const editorPage = await raw(postUrl, { cookie: await sessionCookie(server.url, editor.username) });
      expect(editorPage.headers['x-page-cache']).toBeUndefined();
      expect(editorPage.body.toString()).toContain('comment__pick');
      const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      await raw(`${server.url}/`);
      const res = await raw(`${server.url}/`, { cookie: forged });
      expect(res.headers['x-page-cache']).toBe('reader');
      expect(res.headers['set-cookie']).toBeUndefined();
      const app = await request(test.app).get('/').set('Cookie', forged).expect(200);
      expect(app.headers['set-cookie']).toBeUndefined();
      // The same page, guest form token and all (of the hour: across an hour's turn, both valid).
      const guest = (html: string) => html.replace(/value="g\.\d+\.[\w-]{43}"/g, 'value="g.hour"');
      expect(guest(res.body.toString())).toBe(guest(app.text));
      expect(cheerio.load(res.body.toString())('.site-nav').text()).toContain('Sign in');

      // Every session of the account ended (a new password): the stored version no longer matches.
      await UserModel.updateOne({ _id: nora.id }, { $inc: { sessionVersion: 1 } });
      services.events.emit('account.sessions', { userId: nora.id });
      const ended = await raw(`${server.url}/`, { cookie });
      expect(ended.headers['x-page-cache']).toBeUndefined();
      expect(cheerio.load(ended.body.toString())('.site-nav').text()).toContain('Sign in');
    } finally {
      await server.close();
    }
  });

  it('give a reader whose session holds only a form token (the sign-in page, then reading) the page for everyone with their token', async () => {
    const post = await buildPost({ tags: ['token-readers'] });
    // Text that looks like a form's token field: shown as written, never taken for one.
    const lookalike = `name="_csrf" value="g.1.${'a'.repeat(43)}"`;
    await postComment(services, post, { name: 'Reader', body: lookalike });
    const server = await listenLive(test);
    try {
      const login = await fetch(`${server.url}/login`);
      const cookie = /^(sid=[^;]+)/.exec(login.headers.get('set-cookie') ?? '')![1];
      const token = csrfFrom(await login.text());
      for (const path of ['/', `/posts/${post.slug}`, '/tags/token-readers']) {
        const built = await request(test.app).get(path).set('Cookie', cookie).expect(200);
        await raw(`${server.url}${path}`);
        expect((await raw(`${server.url}${path}`)).headers['x-page-cache']).toBe('hit');
        const made = await raw(`${server.url}${path}`, { cookie, 'accept-encoding': 'gzip' });
        expect(made.headers['x-page-cache']).toBe('reader');
        expect(made.headers['cache-control']).toBe('private, no-cache');
        expect(made.headers['set-cookie']).toBeUndefined();
        const html = gunzipSync(made.body).toString();
        // The comment form's one-time id is the kept page's, as every reader without a session gets
        // it (thread.js gives each page its own; a resent form is known by its address and text too).
        const id = /name="_submission" value="[^"]+"/;
        expect(html.replace(id, '')).toBe(built.text.replace(id, ''));
        if (path.startsWith('/posts/'))
          expect(cheerio.load(html)('.comment__body').text()).toContain(lookalike);
        const forms = cheerio.load(html)('input[name=_csrf]');
        if (path.startsWith('/posts/')) expect(forms.length).toBeGreaterThan(1);
        forms.each((_, input) => expect(cheerio.load(input)('input').val()).toBe(token));
      }
      // The token works: a comment posted from that page is taken.
      const posted = await fetch(`${server.url}/posts/${post.slug}/comments`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
        body: new URLSearchParams({
          _csrf: token,
          name: 'Token Reader',
          email: '',
          body: 'Posted from a kept page.',
        }),
      });
      expect(posted.status).toBe(303);
    } finally {
      await server.close();
    }
  });

  it('make a post page from its frame: the reader’s header, form, follow, likes and own comments, the same as the app renders', async () => {
    const post = await buildPost();
    const others = [];
    // Five top-level comments: the reader's own parts (0 and 2) between shared ones, and two shared
    // in a row (3 and 4), the second sent compressed as following the first.
    for (let i = 1; i <= 5; i += 1)
      others.push(await postComment(services, post, { name: `Reader ${i}`, body: `Comment ${i}.` }));
    const nora = await buildUser(services);
    const server = await listenLive(test);
    try {
      const cookie = await sessionCookie(server.url, nora.username);
      await postComment(
        services,
        post,
        { body: 'Nora’s own.', parent: String(others[0]._id) },
        { user: nora },
      );
      await services.likes.set(String(others[2]._id), { user: nora, ip: '10.0.0.9' }, true);
      await services.follows.follow(nora, await services.posts.getBySlug(post.slug));
      const url = `${server.url}/posts/${post.slug}`;
      // The form's one-time id is new on every page; the last visit is the first page's time from the second on.
      const strip = (html: string) =>
        html.replace(/name="_submission" value="[^"]+"/, '').replace(/ data-last-visit="[^"]+"/, '');
      // The same page rendered whole by an app that makes no frames.
      const { config, services: all, fragments, webAuth } = test;
      const whole = createApp({
        config,
        services: all,
        fragments,
        webAuth,
        logger: testLogger(),
        database: mongooseHealth(),
        frames: false,
      });

      const built = await raw(url, { cookie, 'accept-encoding': 'gzip' });
      expect(built.headers['x-page-cache']).toBeUndefined();
      const made = await raw(url, { cookie, 'accept-encoding': 'gzip' });
      expect(made.headers['x-page-cache']).toBe('reader');
      expect(made.headers['cache-control']).toBe('private, no-cache');
      expect(made.headers['content-security-policy']).toBe(built.headers['content-security-policy']);
      const html = gunzipSync(made.body).toString();
      expect(strip(html)).toBe(strip(gunzipSync(built.body).toString()));
      // Each page its own one-time form id, though the reader's form is rendered once and kept.
      const again = gunzipSync((await raw(url, { cookie, 'accept-encoding': 'gzip' })).body).toString();
      const ids = [html, again].map((page) => /name="_submission" value="([^"]+)"/.exec(page)![1]);
      expect(ids[0]).not.toBe(ids[1]);
      for (const id of ids) expect(id).toMatch(/^[\w-]{16}$/);
      expect(strip(again)).toBe(strip(html));
      expect(strip((await raw(url, { cookie })).body.toString())).toBe(strip(html));
      const rendered = await request(whole).get(`/posts/${post.slug}`).set('Cookie', cookie).expect(200);
      expect(strip(rendered.text)).toBe(strip(html));

      const $ = cheerio.load(html);
      expect($('.site-nav').text()).toContain(nora.username);
      expect($('.form-identity').text()).toContain(nora.username);
      expect($('.follow-form').text()).toContain('Stop following');
      expect($('#comments').attr('data-last-visit')).toBeDefined();
      const csrf = $('.site-nav input[name=_csrf]').val();
      expect($('#like-form input[name=_csrf]').val()).toBe(csrf);
      expect($('.comment-form input[name=_csrf]').val()).toBe(csrf);
      expect($(`#comment-${others[2]._id} > article .like-button`).attr('aria-pressed')).toBe('true');
      expect($(`#comment-${others[1]._id} > article .like-button`).attr('aria-pressed')).toBe('false');
      expect($('.comment__edit')).toHaveLength(1);
      expect(html).not.toContain('<!--slot:');

      // Her likes change: her own parts (kept per thread version) follow, pressed and unpressed.
      await services.likes.set(String(others[1]._id), { user: nora, ip: '10.0.0.9' }, true);
      await services.likes.set(String(others[2]._id), { user: nora, ip: '10.0.0.9' }, false);
      await raw(url, { cookie });
      const liked = cheerio.load((await raw(url, { cookie })).body.toString());
      expect(liked(`#comment-${others[1]._id} > article .like-button`).attr('aria-pressed')).toBe('true');
      expect(liked(`#comment-${others[2]._id} > article .like-button`).attr('aria-pressed')).toBe('false');
      expect(liked('.comment__edit')).toHaveLength(1);

      // A new comment drops the frame: the next page is built by the app, and shows it.
      await postComment(services, post, { name: 'Late', body: 'A late one.' });
      const after = await raw(url, { cookie });
      expect(after.headers['x-page-cache']).toBeUndefined();
      expect(after.body.toString()).toContain('A late one.');
      expect((await raw(url, { cookie })).headers['x-page-cache']).toBe('reader');

      // Another reader from the same frame: their own name and form, none of Nora's.
      const ola = await buildUser(services);
      const olaCookie = await sessionCookie(server.url, ola.username);
      const theirs = await raw(url, { cookie: olaCookie });
      expect(theirs.headers['x-page-cache']).toBe('reader');
      const o = cheerio.load(theirs.body.toString());
      expect(o('.form-identity').text()).toContain(ola.username);
      expect(o('.comment__edit')).toHaveLength(0);
      expect(o('.like-button[aria-pressed="true"]')).toHaveLength(0);
      expect(o('.follow-form').text()).toContain('Follow this post by email');

      // A comment sent back with its errors (gzip: the page stitched from parts) keeps its 400.
      const refused = await raw(
        `${url}/comments`,
        {
          cookie,
          'accept-encoding': 'gzip',
          'content-type': 'application/x-www-form-urlencoded',
          origin: server.url,
        },
        { method: 'POST', body: new URLSearchParams({ _csrf: String(csrf), body: '' }).toString() },
      );
      expect(refused.status).toBe(400);
      expect(refused.headers['content-encoding']).toBe('gzip');
      expect(
        cheerio.load(gunzipSync(refused.body).toString())('.field__error, [role=alert]').length,
      ).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});
