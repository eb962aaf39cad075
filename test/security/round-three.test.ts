/**
 * Security regressions, round three: each test is the replay of an attack that worked before it
 * was fixed (one client holding every request slot, a stranger spending the owner's password
 * resets, links confirmed by mail scanners, mail to addresses that never asked, drafts leaking
 * through the data download, staff silenced by their peers, sockets outliving their role, sign-ins
 * without a limit, formulas in CSV).
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket as NetSocket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { MailJobModel } from '../../models/mail-job';
import { PostModel } from '../../models/post';
import { UserModel } from '../../models/user';
import { createRequestListener, serverOptions } from '../../server/app';
import { csvField } from '../../server/lib/csv';
import { buildPost, postComment } from '../fixtures/factories';
import { PASSWORD, buildUser, csrfFrom, signIn } from '../fixtures/users';
import { buildTestApp, guestForm, type TestApp } from '../setup/app';
import { listenLive, next, pause, socketClient } from '../setup/live';
import { runImportScript } from '../setup/import-script';

const ROOT = path.resolve(__dirname, '../..');

/** The app on a loopback port with the production server's own limits (timeouts). */
async function serve(test: TestApp): Promise<{ server: Server; port: number; url: string }> {
  const server = createServer(serverOptions(test.config), createRequestListener(test.app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { server, port, url: `http://127.0.0.1:${port}` };
}

/** A request whose headers promise a body that never comes; resolves when the server closes it. */
function slowBody(port: number, slug: string, from: string): { socket: NetSocket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.on('error', () => undefined);
  socket.write(
    `POST /posts/${slug}/comments HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: ${from}\r\n` +
      'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n',
  );
  return { socket, closed: new Promise((resolve) => socket.on('close', () => resolve(answer))) };
}

/** Status and time of a GET from another reader (with a session cookie: a page built for it). */
async function timedGet(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { cookie: 'sid=someone-else', 'x-forwarded-for': '192.0.2.10' } });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

describe('one client cannot hold every request slot with bodies that never come', () => {
  for (const [max, label] of [
    ['16', 'a small budget (16): one client used to take it all'],
    ['200', 'the default budget, with as many sockets as one client may hold and more'],
  ] as const) {
    it(`${label}`, async () => {
      const test = buildTestApp({ MAX_IN_FLIGHT: max, TRUST_PROXY: 'true', REQUEST_TIMEOUT_SECONDS: '3' });
      const { server, port, url } = await serve(test);
      try {
        const post = await buildPost();
        const slow = Array.from({ length: Number(max) + 5 }, () => slowBody(port, post.slug, '203.0.113.66'));
        await pause(500);
        // Everyone else is served at once, signed-out sign-in page and a page built per request.
        for (const page of ['/login', `/posts/${post.slug}`]) {
          const { status, ms } = await timedGet(`${url}${page}`);
          expect(status).toBe(200);
          expect(ms).toBeLessThan(1000);
        }
        // The client past its share was told so at once (429), and the slow bodies are cut off
        // with a 408 when the request timeout runs out, freeing their slots.
        const answers = await Promise.all(slow.map((s) => s.closed));
        const statusOf = (answer: string) => /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'closed';
        const counts = new Map<string, number>();
        for (const a of answers) counts.set(statusOf(a), (counts.get(statusOf(a)) ?? 0) + 1);
        expect(counts.get('429')).toBeGreaterThan(0);
        expect([...counts.keys()].every((s) => ['429', '408', 'closed'].includes(s))).toBe(true);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }, 30000);
  }
});

describe('mail goes only where its owner asked', () => {
  // The services' clock, moved on by the tests (forms' tokens keep the real one).
  let clock = Date.now();
  const test = buildTestApp({ TRUST_PROXY: 'true' }, undefined, () => clock);
  const { app, services } = test;

  /**
   * The mail sent to an address so far. A reset mail is queued after the response has gone (so
   * every answer takes the same time), so this waits until the queue has been quiet for 300 ms.
   */
  async function mailsTo(address: string) {
    const count = async () => {
      await services.mailQueue.runDue();
      return services.mailer.captured.length;
    };
    let last = await count();
    for (let quiet = 0, polls = 0; quiet < 3 && polls < 50; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await count();
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
    return services.mailer.captured.filter((m) => m.to === address);
  }

  it('a stranger asking for resets cannot stop the owner getting a working link', async () => {
    await services.users.register({ username: 'Bob Reset', password: PASSWORD, email: 'bob@example.com' });
    const ask = async (from: string) => {
      const browser = request.agent(app);
      const form = await browser.get('/forgot').set('X-Forwarded-For', from);
      await browser
        .post('/forgot')
        .set('X-Forwarded-For', from)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), email: 'bob@example.com' })
        .expect(200);
    };
    for (let i = 0; i < 4; i += 1) await ask('203.0.113.5'); // the stranger, four times
    await ask('198.51.100.77'); // Bob
    const sent = await mailsTo('bob@example.com');
    // One mail for five requests, and its link works for Bob now.
    expect(sent).toHaveLength(1);
    const link = new URL(/https?:\/\/\S+\/reset\/\S+/.exec(sent[0].text)![0]).pathname;
    await request(app).get(link).expect(200);
    // Minutes later the stranger again (past their own share: nothing), then Bob: a fresh link.
    clock += 6 * 60000;
    for (let i = 0; i < 3; i += 1) await ask('203.0.113.5');
    expect(await mailsTo('bob@example.com')).toHaveLength(1);
    clock += 6 * 60000;
    await ask('198.51.100.77');
    expect(await mailsTo('bob@example.com')).toHaveLength(2);
  });

  it('an email-change link opened by a mail scanner (no cookies) confirms nothing', async () => {
    const user = await services.users.register({
      username: 'Scan Sam',
      password: PASSWORD,
      email: 'sam@example.com',
    });
    const { agent } = await signIn(app, user.username);
    const page = await agent.get('/account').expect(200);
    const changed = await agent
      .post('/account/email')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'spam-trap@example.net', password: PASSWORD });
    expect(cheerio.load(changed.text)('.field__error, .form-errors').text()).toBe('');
    expect(changed.status).toBe(303);
    const mail = (await mailsTo('spam-trap@example.net')).at(-1)!;
    const link = new URL(/https?:\/\/\S+\/account\/email\/\S+/.exec(mail.text)![0]).pathname;
    await request(app).get(link).expect(200); // the scanner
    await request(app).head(link);
    const stored = await UserModel.findById(user.id).select('+email').lean();
    expect(stored?.email).toBe('sam@example.com');
    // The mail lets the address's owner refuse all mail from the site; then nobody can use it.
    const never = new URL(/To never get mail[^\n]*\n\s*\n\s*(https?:\/\/\S+)/.exec(mail.text)![1]).pathname;
    await request(app).post(never).expect(200);
    const again = await agent.get('/account').expect(200);
    const refused = await agent
      .post('/account/email')
      .type('form')
      .send({ _csrf: csrfFrom(again.text), email: 'spam-trap@example.net', password: PASSWORD })
      .expect(400);
    expect(cheerio.load(refused.text)('#error-email').text()).toMatch(/asked for no mail/);
  });

  it('typing someone else’s address under "Email me replies" sends it one confirmation a day at most, and none once stopped', async () => {
    const post = await buildPost();
    const comment = async () =>
      request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({
          _csrf: guestForm(),
          name: 'Not Vic',
          body: 'Mail her.',
          email: 'victim@example.org',
          notify: 'on',
        })
        .expect(303);
    const waitForJobs = async (count: number) => {
      for (
        let i = 0;
        i < 200 && (await MailJobModel.countDocuments({ to: 'victim@example.org' })) < count;
        i += 1
      )
        await pause(10);
    };
    await comment();
    await waitForJobs(1);
    await comment();
    await comment();
    await pause(300);
    const sent = await mailsTo('victim@example.org');
    expect(sent).toHaveLength(1);
    // The mail lets its reader stop all mail to the address, in one click (RFC 8058 too).
    const never = /To never get mail[^\n]*\n\s*\n\s*(https?:\/\/\S+)/.exec(sent[0].text)![1];
    expect(sent[0].raw).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    // The victim confirms; typed again at once, nothing more is sent to the address that day.
    const confirm = new URL(/https?:\/\/\S+\/notify\/confirm\/\S+/.exec(sent[0].text)![0]).pathname;
    await request(app).post(confirm).expect(200);
    await comment();
    await pause(300);
    expect(await mailsTo('victim@example.org')).toHaveLength(1);
    // A day later the owner (a returning guest) comments again: a link for that comment, one.
    clock += 25 * 3600000;
    await comment();
    await pause(300);
    expect(await mailsTo('victim@example.org')).toHaveLength(2);
    // "Never": after it, not even a day later does anything go to the address.
    await request(app).post(new URL(never).pathname).expect(200);
    clock += 25 * 3600000;
    await comment();
    await pause(300);
    expect(await mailsTo('victim@example.org')).toHaveLength(2);
  });

  it('the data download names no post that is not published', async () => {
    const post = await buildPost({ title: 'Public title' });
    const user = await buildUser(services);
    await postComment(services, post, { body: 'My comment.' }, { user });
    await PostModel.updateOne(
      { _id: post._id },
      { $set: { status: 'draft', title: 'Secret new draft title', slug: 'secret-new-draft' } },
    );
    const { agent } = await signIn(app, user.username);
    const res = await agent.get('/account/data.json').expect(200);
    expect(res.text).not.toContain('Secret new draft title');
    expect(res.text).not.toContain('secret-new-draft');
    expect(res.text).toContain('My comment.');
  });
});

describe('staff are not silenced by their peers, and sockets follow roles and sessions', () => {
  const test = buildTestApp({ HOLD_LINKS_OVER: '0' });
  const { app, services } = test;

  it('a moderator cannot warn an admin, and an address block does not stop staff from commenting', async () => {
    const post = await buildPost();
    const admin = await buildUser(services, 'admin');
    const moderator = await buildUser(services, 'moderator');
    const mod = await signIn(app, moderator.username);
    await mod.agent
      .post(`/moderation/users/${admin.id}/warn`)
      .type('form')
      .send({ _csrf: mod.csrf, reason: 'Behave.' })
      .expect(403);
    // The admin's comment's address is blocked (the same address as the moderator's, here).
    const said = await postComment(services, post, { body: 'Admin speaking.' }, { user: admin });
    await mod.agent
      .post(`/moderation/comments/${said._id}/block-ip`)
      .type('form')
      .send({ _csrf: mod.csrf, reason: 'oops' })
      .expect(303);
    for (const who of [admin, moderator]) {
      const { agent, csrf } = await signIn(app, who.username);
      await agent
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: csrf, body: `Still here, ${who.role}.` })
        .expect(303);
    }
  });

  it('a demoted moderator’s open socket stops hearing the queues; a signed-out one stops hearing replies', async () => {
    const live = await listenLive(test);
    try {
      const moderator = await buildUser(services, 'moderator');
      const admin = await buildUser(services, 'admin');
      const login = async (username: string) => {
        const form = await request(live.url).get('/login');
        const res = await request(live.url)
          .post('/login')
          .set('Cookie', (form.headers['set-cookie'] as unknown as string[]) ?? [])
          .type('form')
          .send({ username, password: PASSWORD, _csrf: csrfFrom(form.text), next: '/' })
          .expect(303);
        return (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
      };
      const cookie = await login(moderator.username);
      const socket = await socketClient(live.url, { cookie });
      const counts = next(socket, 'queue:counts');
      services.events.emit('moderation.changed', {});
      await counts;
      // Demoted: the server drops the socket; connecting again, it is a commenter's.
      const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      await services.users.setRole(admin, moderator.id, 'commenter');
      expect(await dropped).toBe('io server disconnect');
      socket.connect();
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const heard: unknown[] = [];
      socket.on('queue:counts', (c) => heard.push(c));
      services.events.emit('moderation.changed', {});
      await pause(1500);
      expect(heard).toEqual([]);
      // Signing out drops the account's sockets too; back, they hear nothing of the account.
      const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
      const home = await request(live.url).get('/').set('Cookie', cookie);
      await request(live.url)
        .post('/logout')
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfFrom(home.text) })
        .expect(303);
      expect(await gone).toBe('io server disconnect');
      socket.connect();
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const unread: unknown[] = [];
      socket.on('replies:unread', (c) => unread.push(c));
      services.events.emit('replies.unread', { userId: moderator.id, count: 3 });
      await pause(500);
      expect(unread).toEqual([]);
      socket.disconnect();
    } finally {
      await live.close();
    }
  });
});

describe('sign-ins are limited, successful ones too', () => {
  const test = buildTestApp({ LOGIN_MAX_SIGNINS: '5', TRUST_PROXY: 'true' });
  const { app, services } = test;

  it('one address signing in to one account again and again is stopped, and its owner elsewhere is not', async () => {
    const user = await buildUser(services);
    const attempt = (from: string) =>
      services.users.authenticate(user.username, PASSWORD, from).then(
        () => 'ok',
        (err: { status?: number }) => String(err.status),
      );
    const results: string[] = [];
    for (let i = 0; i < 8; i += 1) results.push(await attempt('203.0.113.9'));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', '429', '429', '429']);
    expect(await attempt('198.51.100.3')).toBe('ok');
    // Over HTTP: a readable 429 page.
    const browser = request.agent(app);
    const form = await browser.get('/login').set('X-Forwarded-For', '203.0.113.9');
    const res = await browser
      .post('/login')
      .set('X-Forwarded-For', '203.0.113.9')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), username: user.username, password: PASSWORD })
      .expect(429);
    expect(cheerio.load(res.text)('main').text()).toContain('Too many sign-ins from here');
  });

  it('passwords are hashed with scrypt off the event loop, and an old bcrypt hash is replaced at sign-in', async () => {
    const user = await buildUser(services);
    const stored = async () =>
      (await UserModel.findById(user.id).select('+passwordHash').lean())!.passwordHash;
    expect(await stored()).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    await UserModel.updateOne({ _id: user.id }, { $set: { passwordHash: await bcrypt.hash(PASSWORD, 4) } });
    // While the old hash is checked, the event loop keeps turning.
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    await services.users.authenticate(user.username, PASSWORD, '192.0.2.77');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(await stored()).toMatch(/^\$scrypt\$ln=10,/);
    await services.users.authenticate(user.username, PASSWORD, '192.0.2.77');
  });
});

describe('every CSV the project writes is safe to open in a spreadsheet', () => {
  it('writes a formula in a field as text', () => {
    expect(csvField('=HYPERLINK("http://evil.example","click")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    for (const lead of ['+', '-', '@', '\t']) expect(csvField(`${lead}1`)).toBe(`'${lead}1`);
    expect(csvField('plain, with comma')).toBe('"plain, with comma"');
  });

  it('the import’s urls.csv holds a WordPress link of "=HYPERLINK(…)" as text', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'csv-injection-'));
    const source = readFileSync(path.join(ROOT, 'test/fixtures/import/wordpress.xml'), 'utf8');
    const file = path.join(dir, 'export.xml');
    writeFileSync(
      file,
      source.replace(
        '<link>http://old.example/2024/05/coworker-takes-credit/</link>',
        '<link>=HYPERLINK("http://evil.example/steal","Open")</link>',
      ),
    );
    const reports = path.join(dir, 'reports');
    await runImportScript(['wordpress', file, '--report', reports]);
    const csv = readFileSync(path.join(reports, 'urls.csv'), 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/steal"",""Open"")"`);
    expect(csv.split('\r\n').some((line) => line.startsWith('=') || line.includes(',='))).toBe(false);
  }, 120000);
});
