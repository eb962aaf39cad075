/**
 * WEB_CONCURRENCY=2: the real entry point as `npm start` runs it, a primary and two web workers on
 * one data directory, no Redis. What one worker does, the other knows: a live reply reaches
 * readers connected to either, a write drops the other's cached pages, limits hold whichever worker
 * a request reaches, settings apply in both; and SIGHUP replaces both workers under load without
 * losing a request.
 */
import * as cheerio from 'cheerio';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { ROOT } from '../../setup/paths';
import { runScriptProcess } from '../../setup/script-process';
import { guestWriter, startServerProcess, type ServerProcess } from '../../setup/server-process';

process.env.TEST_OWN_DATABASE = '1';

const FIXTURE = path.join(ROOT, 'test/fixtures/import/wordpress.xml');
const SLUG = 'coworker-takes-credit';

/** A request on a connection of its own (so the primary hands it to the next worker). */
const fresh = (url: string, init: RequestInit = {}) =>
  fetch(url, { ...init, headers: { ...(init.headers as object), connection: 'close' }, redirect: 'manual' });

async function waitFor(what: () => boolean, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('two web workers on one machine share everything a reader can tell', () => {
  jest.setTimeout(180000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-cluster-'));
  const env = { DATA_DIR: dir };
  let site: ServerProcess;

  beforeAll(async () => {
    site = await startServerProcess({
      ...env,
      WEB_CONCURRENCY: '2',
      LOGIN_MAX_FAILURES: '3',
      COMMENT_INTERVAL_SECONDS: '0',
      // Settings reach the other worker by message, not by polling.
      SETTINGS_POLL_SECONDS: '3600',
    });
    await waitFor(() => site.output().includes('2 web workers are listening'), 60000);
    const imported = await runScriptProcess('import', ['wordpress', FIXTURE], env);
    expect(imported.code).toBe(0);
  });

  afterAll(async () => {
    site?.child.kill('SIGTERM');
    await site?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  /** The admin's session cookie, signed in once through the form (the session is in the database). */
  let admin: string | undefined;
  async function adminCookie(): Promise<string> {
    if (admin) return admin;
    const made = await runScriptProcess('create-admin', ['--username', 'Operator'], {
      ...env,
      ADMIN_PASSWORD: 'a long enough password',
    });
    expect(made.code).toBe(0);
    // Signed in on one worker (each request is its own connection: the session is in the database).
    let cookie = '';
    const keep = (res: Response) => {
      const set = res.headers.getSetCookie?.() ?? [];
      if (set.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
      return res;
    };
    const login = await (await fresh(`${site.url}/login`).then(keep)).text();
    keep(
      await fresh(`${site.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({
          _csrf: /name="_csrf" value="([^"]+)"/.exec(login)![1],
          username: 'Operator',
          password: 'a long enough password',
        }),
      }),
    );
    admin = cookie;
    return cookie;
  }

  it('answers from both workers, and a reply posted through one reaches readers connected to either', async () => {
    const workers = new Set<string>();
    for (let i = 0; i < 6; i += 1)
      workers.add((await fresh(`${site.url}/healthz`)).headers.get('x-worker') ?? '');
    expect([...workers].sort()).toEqual(['1', '2']);

    const page = await (await fresh(`${site.url}/posts/${SLUG}`)).text();
    const postId = /data-post-id="(\w+)"/.exec(page)![1];
    const readers: Socket[] = [];
    const heard: string[][] = [];
    for (let i = 0; i < 4; i += 1) {
      const socket = io(site.url, { transports: ['websocket'], forceNew: true });
      const mine: string[] = [];
      heard.push(mine);
      socket.on('comment:created', (e: { comment: { html: string } }) => mine.push(e.comment.html));
      socket.on('comments:created', (e: { comments: { html: string }[] }) =>
        e.comments.forEach((c) => mine.push(c.html)),
      );
      await new Promise<void>((resolve) =>
        socket.emit('thread:join', { postId, lastSeen: 1000 }, () => resolve()),
      );
      readers.push(socket);
    }
    const write = await guestWriter(site.url, SLUG, 'Cluster Cleo');
    expect(
      (await write('Heard by every reader, whichever worker they are on.', { close: true })).status,
    ).toBe(303);
    await waitFor(() => heard.every((got) => got.some((html) => html.includes('Cluster Cleo'))));
    readers.forEach((socket) => socket.disconnect());
  });

  it('a comment written through one worker drops the page both workers had cached', async () => {
    const seen = new Map<string, string>();
    for (let i = 0; i < 6; i += 1) {
      const res = await fresh(`${site.url}/posts/${SLUG}`);
      seen.set(res.headers.get('x-worker') ?? '', res.headers.get('x-page-cache') ?? '');
      await res.text();
    }
    expect([...seen.values()]).toEqual(['hit', 'hit']);
    const write = await guestWriter(site.url, SLUG, 'Fresh Page Fay');
    expect((await write('Every worker shows this at once.', { close: true })).status).toBe(303);
    for (let i = 0; i < 6; i += 1) {
      expect(await (await fresh(`${site.url}/posts/${SLUG}`)).text()).toContain('Fresh Page Fay');
    }
  });

  it('counts failed sign-ins across workers: the fourth is refused whichever worker gets it', async () => {
    const form = await fresh(`${site.url}/login`);
    const cookie = (form.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
    const statuses: number[] = [];
    const workers = new Set<string>();
    for (let i = 0; i < 6; i += 1) {
      const res = await fresh(`${site.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: token, username: 'nobody-here', password: 'wrong password 1' }),
      });
      statuses.push(res.status);
      workers.add(res.headers.get('x-worker') ?? '');
      await res.text();
    }
    expect(workers.size).toBe(2);
    expect(statuses.slice(0, 3).every((s) => s !== 429 && s !== 403)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });

  it('settings an admin saves through one worker apply in both at once', async () => {
    const cookie = await adminCookie();
    const $ = cheerio.load(await (await fresh(`${site.url}/admin/settings`, { headers: { cookie } })).text());
    const form = new URLSearchParams();
    $('form[method="post"] input, form[method="post"] textarea').each((_, el) => {
      const name = $(el).attr('name');
      if (!name || ($(el).attr('type') === 'checkbox' && $(el).attr('checked') === undefined)) return;
      form.set(name, ($(el).val() as string) ?? '');
    });
    form.set('siteTitle', 'Ask the Cluster');
    const saved = await fresh(`${site.url}/admin/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: form,
    });
    expect(saved.status).toBe(303);
    const titles = new Map<string, string>();
    // Well within SETTINGS_POLL_SECONDS: the other worker heard of the save, it did not poll for it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 6; i += 1) {
      const res = await fresh(`${site.url}/`);
      titles.set(
        res.headers.get('x-worker') ?? '',
        cheerio
          .load(await res.text())('title')
          .text(),
      );
    }
    expect(titles.size).toBe(2);
    for (const title of titles.values()) expect(title).toContain('Ask the Cluster');
  });

  it('a ban made through one worker refuses the writer on both at once', async () => {
    const page = await (await fresh(`${site.url}/posts/${SLUG}`)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const post = (body: string) =>
      fresh(`${site.url}/posts/${SLUG}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _csrf: token,
          name: 'Spam Sam',
          email: 'sam@example.com',
          body,
          parent: '',
        }),
      });
    expect((await post('First and last.')).status).toBe(303);
    const shown = cheerio.load(await (await fresh(`${site.url}/posts/${SLUG}`)).text());
    const id = shown('.comment')
      .filter((_, li) => shown(li).find('.comment__author').first().text() === 'Spam Sam')
      .attr('data-comment-id');
    const cookie = await adminCookie();
    const moderation = await (
      await fresh(`${site.url}/moderation/sanctions`, { headers: { cookie } })
    ).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(moderation)![1];
    const banned = await fresh(`${site.url}/moderation/comments/${id}/ban-email`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, reason: 'spam' }),
    });
    expect(banned.status).toBe(303);
    const workers = new Set<string>();
    for (let i = 0; i < 4; i += 1) {
      const res = await post(`Again ${i}.`);
      workers.add(res.headers.get('x-worker') ?? '');
      expect(res.status).toBe(403);
    }
    expect(workers.size).toBe(2);
  });

  it('SIGHUP replaces both workers while readers keep reading: no request lost', async () => {
    let ok = 0;
    let failed = 0;
    let running = true;
    const reader = async () => {
      while (running) {
        try {
          const res = await fetch(`${site.url}/posts/${SLUG}?page=1`);
          await res.text();
          if (res.status === 200) ok += 1;
          else failed += 1;
        } catch {
          failed += 1;
        }
      }
    };
    const readers = Array.from({ length: 5 }, reader);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = site.output().length;
    site.child.kill('SIGHUP');
    await waitFor(() => site.output().slice(before).includes('web workers replaced'), 90000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await Promise.all(readers);
    expect(failed).toBe(0);
    expect(ok).toBeGreaterThan(50);
    const now = new Set<string>();
    for (let i = 0; i < 6; i += 1)
      now.add((await fresh(`${site.url}/healthz`)).headers.get('x-worker') ?? '');
    expect([...now].sort()).toEqual(['3', '4']);
  });
});
