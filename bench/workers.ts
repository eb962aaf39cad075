/**
 * npm run bench (part), or alone: tsx bench/workers.ts. One web process against WEB_CONCURRENCY
 * workers on the same machine and database: the built server in production mode on a 1,000-comment
 * post, wrk (autocannon without it: bench/lib/load.ts) with 10 connections for BENCH_DURATION s (gzip), on the paged view for a
 * signed-in reader (the page that costs the server most) and an anonymous one, with 1 worker and
 * then with BENCH_WORKERS (default: the machine's cores). The load generator runs on the same
 * cores, so the gain is what is left for the site beside it. Prints req/s, p50/p99 and the ratios.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { connectMongoose } from '../server/db/connection';
import { startEmbeddedDb, withDatabase, type EmbeddedDb } from '../server/db/embedded';
import { writeBenchThread } from './lib/thread';
import { loadOn, WRK } from './lib/load';
import { startBuiltServer } from './lib/server';

const ROOT = path.resolve(__dirname, '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const WORKERS = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
const SECRET = 'benchmark-only-session-secret-0123456789';
const PASSWORD = 'a long enough benchmark password';
const SLUG = 'bench-workers';

const log = (message: string) => console.log(`[bench:workers] ${message}`);

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string, cookie?: string): Promise<Figures> {
  const headers = { 'accept-encoding': 'gzip', ...(cookie && { cookie }) };
  await loadOn(url, 2, headers);
  const { rps, p50, p99, errors } = await loadOn(url, DURATION, headers);
  return { rps, p50, p99, errors };
}

/** Registers an account through the form and returns its signed-in session cookie. */
async function signedInCookie(base: string, username: string): Promise<string> {
  const page = await fetch(`${base}/register`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${base}/register`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: token, username, password: PASSWORD, email: '' }),
  });
  if (res.status !== 303) throw new Error(`registration answered ${res.status}`);
  return (res.headers.get('set-cookie') ?? cookie).split(';')[0];
}

/** The worker ids answering /healthz (a new connection each time, so any worker may answer). */
async function workerIds(base: string, asks = 8): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let j = 0; j < asks; j += 1) {
    const res = await fetch(`${base}/healthz`, { headers: { connection: 'close' } });
    seen.add(res.headers.get('x-worker') ?? '');
  }
  return seen;
}

interface Measured {
  signedIn: Figures;
  anonymous: Figures;
  /** With workers: the signed-in page under load while SIGHUP replaced every worker. */
  restart?: Figures & { replaced: boolean };
}

async function measure(uri: string, workers: number): Promise<Measured> {
  const { child, base } = await startBuiltServer({
    cwd: ROOT,
    uri,
    secret: SECRET,
    env: { WEB_CONCURRENCY: String(workers) },
  });
  try {
    // Every worker listening before the load starts.
    for (let i = 0; i < 50 && workers > 1; i += 1) {
      if ((await workerIds(base, 4)).size >= workers) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const cookie = await signedInCookie(base, `Worker Reader ${workers}`);
    const url = `${base}/posts/${SLUG}`;
    const check = await (await fetch(url, { headers: { cookie } })).text();
    if (!check.includes(`Worker Reader ${workers}`)) throw new Error('the signed-in reader is not signed in');
    log(`${workers} worker(s): signed-in paged view`);
    const signedIn = await load(url, cookie);
    log(`${workers} worker(s): anonymous paged view`);
    const anonymous = await load(url);
    if (workers === 1) return { signedIn, anonymous };
    // A rolling restart under load: SIGHUP two seconds in, the load on until well after.
    log(`${workers} workers: SIGHUP (a rolling restart) during ${DURATION + 6} s of signed-in load`);
    const during = loadOn(url, DURATION + 6, { 'accept-encoding': 'gzip', cookie });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    child.kill('SIGHUP');
    const { rps, p50, p99, errors } = await during;
    // Replaced: the workers answering now are new ones (ids past the first ones').
    const replaced = [...(await workerIds(base))].every((id) => Number(id) > workers);
    return { signedIn, anonymous, restart: { rps, p50, p99, errors, replaced } };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const row = (name: string, f: Figures, base?: Figures) =>
  `| ${name} | ${f.rps.toFixed(0)} | ${f.p50} | ${f.p99} | ${f.errors} | ${base ? `${(f.rps / base.rps).toFixed(2)}×` : '—'} |`;

async function main(): Promise<void> {
  if (!process.env.BENCH_NO_BUILD) {
    log('building the server (npm run build)');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-bench-workers-'));
  let db: EmbeddedDb | undefined;
  try {
    db = await startEmbeddedDb({
      binary: path.join(ROOT, 'tools/embedded-mongo/bin/embedded-mongo'),
      dataDir: dir,
    });
    const uri = withDatabase(db.uri, 'workers');
    await connectMongoose(uri);
    log('writing a post with 1,000 comments');
    await writeBenchThread({ slug: SLUG, title: 'Benchmark: workers', count: 1000, seed: 11 });
    await mongoose.disconnect();
    const one = await measure(uri, 1);
    const many = await measure(uri, WORKERS);
    console.log(
      `\n| 1,000-comment post, paged view, gzip, 10 connections | req/s | p50 ms | p99 ms | errors | vs 1 worker |`,
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    console.log(row('signed in, 1 worker', one.signedIn));
    console.log(row(`signed in, ${WORKERS} workers`, many.signedIn, one.signedIn));
    console.log(row('anonymous, 1 worker', one.anonymous));
    console.log(row(`anonymous, ${WORKERS} workers`, many.anonymous, one.anonymous));
    if (many.restart) {
      console.log(
        row(
          `signed in, ${WORKERS} workers, all replaced (SIGHUP) during the run`,
          many.restart,
          many.signedIn,
        ),
      );
      if (!many.restart.replaced) throw new Error('the workers were not replaced during the run');
    }
    console.log(
      `\nnode ${process.version}, ${os.availableParallelism()} cores (the load generator shares them), ${WRK ? 'wrk -t1' : 'autocannon'}`,
    );
    if ([one, many].some((r) => r.signedIn.errors || r.anonymous.errors || r.restart?.errors))
      throw new Error('some requests failed');
  } finally {
    await db?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`[bench:workers] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
