/**
 * npm run bench (last part), or alone: tsx bench/signin-burst.ts. What a burst of sign-ins does to
 * every other reader: the built server in production mode, real password cost (PASSWORD_COST 16),
 * one account, and wrk (autocannon without it: bench/lib/load.ts; 10 connections, BENCH_DURATION s) on a post page built for a
 * reader with a session cookie, alone and then while 20 clients sign in to the account as fast as
 * they can. Two runs of the burst: with the sign-in limit out of the way (every request hashes:
 * the cost of hashing itself, off the event loop) and with the default limit (LOGIN_MAX_SIGNINS=20
 * per account and address in 15 minutes: most of the burst is a quick 429).
 * Prints requests per second and p50/p99 for each, and the ratios to the page alone, same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { connectMongoose } from '../server/db/connection';
import { startEmbeddedDb, withDatabase, type EmbeddedDb } from '../server/db/embedded';
import { writeBenchThread } from './lib/thread';
import { PostModel } from '../models/post';
import { syncListing } from '../server/services/posts/post-listing';
import { startBuiltServer } from './lib/server';
import { loadOn, WRK } from './lib/load';

const ROOT = path.resolve(__dirname, '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const SECRET = 'benchmark-only-session-secret-0123456789';
const PASSWORD = 'a long enough benchmark password';
const BURST_CLIENTS = 20;

const log = (message: string) => console.log(`[bench:signin] ${message}`);

interface Figures {
  rps: number;
  /** Answers that were not 2xx (a refusal is not a page served). */
  non2xx: number;
  p50: number;
  p99: number;
}

/** 10 connections on a page for BENCH_DURATION s, from one reader's address (a session or not). */
async function pageLoad(url: string, cookie?: string): Promise<Figures> {
  const { rps, errors, p50, p99 } = await loadOn(url, DURATION, {
    'accept-encoding': 'gzip',
    'x-forwarded-for': '198.51.100.1',
    ...(cookie && { cookie }),
  });
  return { rps, non2xx: errors, p50, p99 };
}

/**
 * 20 clients, each from an address of its own, signing in to one account back to back until
 * `stop`: a sign-in form once, then the POST again and again (a new form after each success,
 * whose session is then another); counts the answers by status.
 */
function burst(base: string, stop: { done: boolean }): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const client = async (i: number) => {
    const from = { 'x-forwarded-for': `203.0.113.${i + 1}` };
    let form: { cookie: string; token: string } | undefined;
    while (!stop.done) {
      if (!form) {
        const page = await fetch(`${base}/login`, { headers: from });
        const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
        form = { cookie, token: /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '' };
      }
      const res = await fetch(`${base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie, ...from },
        body: new URLSearchParams({
          _csrf: form.token,
          username: 'Burst Target',
          password: PASSWORD,
          next: '/',
        }),
      });
      const text = await res.text();
      if (!statuses.has(res.status) && process.env.BENCH_SIGNIN_DEBUG)
        log(
          `first ${res.status}: ${/<p[^>]*>([^<]{0,160})/.exec(text.slice(text.indexOf('<main')))?.[1] ?? ''}`,
        );
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status !== 429) form = undefined; // signed in: that form's session is spent
    }
  };
  return Promise.all(Array.from({ length: BURST_CLIENTS }, (_, i) => client(i))).then(() => statuses);
}

async function measure(uri: string, slug: string, env: Record<string, string>) {
  const { child, base } = await startBuiltServer({
    cwd: ROOT,
    uri,
    secret: SECRET,
    // Each client its own address (X-Forwarded-For), as behind a proxy: the per-address shares apply.
    env: { PASSWORD_COST: '16', TRUST_PROXY: 'true', ...env },
  });
  try {
    // The account, registered through the form (so its hash is the server's own).
    const page = await fetch(`${base}/register`);
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const registered = await fetch(`${base}/register`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: token, username: 'Burst Target', password: PASSWORD, email: '' }),
    });
    const said = await registered.text();
    // 400 when a previous run on this database registered it already.
    if (registered.status !== 303 && !said.includes('already in use'))
      throw new Error(`registration failed (${registered.status}): ${said.slice(0, 2000)}`);
    const url = `${base}/posts/${slug}`;
    const pages = { anonymous: undefined, 'with a session cookie': 'sid=bench-reader-without-account' };
    const figures: Record<string, { alone: Figures; during: Figures }> = {};
    const statuses = new Map<number, number>();
    for (const [name, cookie] of Object.entries(pages)) {
      await pageLoad(url, cookie); // warm-up
      const alone = await pageLoad(url, cookie);
      const stop = { done: false };
      const signins = burst(base, stop);
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the burst under way
      const during = await pageLoad(url, cookie);
      stop.done = true;
      for (const [status, n] of await signins) statuses.set(status, (statuses.get(status) ?? 0) + n);
      figures[name] = { alone, during };
    }
    return { figures, statuses };
  } finally {
    child.kill('SIGTERM');
  }
}

const row = (name: string, f: Figures, base?: Figures) =>
  `| ${name} | ${f.rps.toFixed(0)} | ${f.non2xx} | ${f.p50} | ${f.p99} | ${base ? `${((f.rps / base.rps) * 100).toFixed(0)} %` : '—'} |`;

async function main(): Promise<void> {
  log('building the server (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-bench-signin-'));
  let db: EmbeddedDb | undefined;
  try {
    db = await startEmbeddedDb({
      binary: path.join(ROOT, 'tools/embedded-mongo/bin/embedded-mongo'),
      dataDir: dir,
    });
    const uri = withDatabase(db.uri, 'signin');
    await connectMongoose(uri);
    log('writing a post with 200 comments');
    const slug = 'bench-signin-burst';
    const { postId } = await writeBenchThread({
      slug,
      title: 'Benchmark: a sign-in burst',
      count: 200,
      seed: 7,
    });
    await syncListing((await PostModel.findById(postId).lean())!);
    await mongoose.disconnect();

    const results: [string, Awaited<ReturnType<typeof measure>>][] = [];
    for (const [name, env] of [
      ['every sign-in hashed (limit out of the way)', { LOGIN_MAX_SIGNINS: '100000' }],
      ['default sign-in limit', { LOGIN_MAX_SIGNINS: '20' }],
    ] as const) {
      log(`${name}: the page alone, then during ${BURST_CLIENTS} clients signing in (${DURATION} s each)`);
      results.push([name, await measure(uri, slug, env)]);
    }
    console.log(
      `\nload: ${WRK ? 'wrk -t1' : 'autocannon'}, node ${process.version}, ${os.cpus().length} cores`,
    );
    console.log('\n| 200-comment post page, 10 connections | req/s | not 2xx | p50 ms | p99 ms | of alone |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, r] of results) {
      for (const [page, f] of Object.entries(r.figures)) {
        console.log(row(`${page}, alone (${name})`, f.alone));
        console.log(row(`${page}, during the burst (${name})`, f.during, f.alone));
      }
      const answers = [...r.statuses].map(([status, n]) => `${n}×${status}`).join(', ');
      console.log(`| sign-in answers during the bursts (${name}): ${answers} | | | | | |`);
    }
  } finally {
    await db?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`[bench:signin] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
