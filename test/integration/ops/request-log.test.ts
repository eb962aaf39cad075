import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../../server/logger';
import { mongooseHealth } from '../../../server/db/connection';
import { loggableUrl } from '../../../server/lib/secret-path';
import { buildUser, signIn } from '../../fixtures/users';
import { buildPost } from '../../fixtures/factories';
import { LegacyUrlModel } from '../../../models/legacy-url';
import { PostModel } from '../../../models/post';
import { buildTestApp } from '../../setup/app';
import { ROOT } from '../../setup/paths';

interface Entry {
  req?: { url: string; params?: Record<string, string>; headers: Record<string, string> };
  res?: { headers: Record<string, unknown> };
}

/** The real app, its log written to memory. */
function appWithLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const built = buildTestApp({}, mongooseHealth(), undefined, createLogger('info', { destination }));
  return { ...built, lines, entries: () => lines.map((line) => JSON.parse(line) as Entry) };
}

/** Every route that takes a secret in its path, as declared in server/routes (`:token`). */
function tokenRoutes(): string[] {
  const dir = path.join(ROOT, 'server/routes');
  const routes = new Set<string>();
  for (const file of readdirSync(dir)) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    for (const [, route] of text.matchAll(/router\.\w+\(\s*'([^']*:token[^']*)'/g)) routes.add(route);
  }
  return [...routes];
}

describe('the request log', () => {
  it('records each request without the session cookie, the cookie set at sign-in, or a token header', async () => {
    const { app, services, lines, entries } = appWithLog();
    const user = await buildUser(services);
    const { agent, csrf } = await signIn(app, user.username);
    await agent.get('/account').set('X-CSRF-Token', csrf).expect(200);

    const logged = entries().filter((e) => e.req);
    expect(logged.map((e) => e.req!.url)).toEqual(expect.arrayContaining(['/login', '/', '/account']));
    const signedIn = logged.find((e) => e.req!.url === '/account')!;
    expect(signedIn.req!.headers.cookie).toBe('[redacted]');
    expect(signedIn.req!.headers['x-csrf-token']).toBe('[redacted]');
    const setCookie = logged.find((e) => e.res?.headers['set-cookie'])!;
    expect(setCookie.res!.headers['set-cookie']).toBe('[redacted]');
    // Whatever the field: the session id appears nowhere in the log.
    expect(lines.join('\n')).not.toMatch(/sid=s%3A/);
    expect(lines.join('\n')).not.toContain(csrf);
  });

  it('keeps no secret a link carries in its path (password resets, confirmations, unsubscribes, letter writers’ links)', async () => {
    const routes = tokenRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(5);
    const secret = 'S3cr3t-t0ken.abc';
    for (const route of routes) {
      const url = route.replace(':token', secret).replace(/:(\w+)/g, 'some-$1');
      expect(loggableUrl(url)).not.toContain(secret);
      expect(loggableUrl(`${url}?next=%2F`)).toMatch(/\[redacted\]\?next=%2F$/);
    }
    expect(loggableUrl('/account/email/resend')).toBe('/account/email/resend');
    // However it is spelled (routes match case-insensitively), and inside another address's query.
    expect(loggableUrl(`/Reset/${secret}`)).not.toContain(secret);
    expect(loggableUrl(`/login?next=${encodeURIComponent(`/account/email/${secret}`)}`)).not.toContain(
      secret,
    );
    expect(loggableUrl('/login?next=%2Fposts%2Fa-post')).toBe('/login?next=%2Fposts%2Fa-post');
    expect(loggableUrl('/posts/a-post?page=2')).toBe('/posts/a-post?page=2');

    // Through the app: the line a reset link's visit leaves.
    const { app, lines } = appWithLog();
    await request(app).get(`/reset/${secret}`);
    // And the requests that page makes next, whose Referer is its address.
    await request(app).get('/login').set('Referer', `http://127.0.0.1/reset/${secret}`);
    expect(lines.some((line) => line.includes('/reset/[redacted]'))).toBe(true);
    // The page such a link opens does not send its address on in "Sign in" (?next=) either.
    const confirm = await request(app).get(`/account/email/${secret}`);
    expect(confirm.text).not.toContain(encodeURIComponent(secret));
    // A redirect's Location: an old post address's letter-writer link moved to the new address.
    const post = await buildPost();
    await PostModel.updateOne({ _id: post._id }, { $set: { slug: `${post.slug}-new` } });
    await LegacyUrlModel.create({ _id: `/posts/${post.slug}`, post: post._id });
    const moved = await request(app).get(`/posts/${post.slug}/letter-writer/${secret}`).expect(301);
    expect(moved.headers.location).toContain(secret); // the reader's browser gets it…
    expect(lines.some((line) => line.includes('letter-writer/[redacted]'))).toBe(true); // …the log does not
    expect(lines.join('\n')).not.toContain(secret);
  });
});
