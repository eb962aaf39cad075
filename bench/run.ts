/**
 * npm run bench: serving a post with 1,000 comments, against what the wire allows.
 *
 * Starts its own embedded FerretDB (temporary directory), writes a post with 1,000 comments
 * several levels deep, and starts the app in child processes. Then wrk (autocannon without it:
 * bench/lib/load.ts), 10 connections
 * for BENCH_DURATION s each (after a 2 s warm-up), against:
 *   1. the whole 1,000-comment page (COMMENTS_PER_PAGE=500: all on one page) for a reader without
 *      a session, plain and gzip, against a bare Node http server writing the same bytes from
 *      memory (bench/bare-server.ts), plain and gzip: the ceiling;
 *   2. the paged default view (50 top-level comments) and the home page, without a session;
 *   3. a signed-in reader's paged view and home page against an anonymous reader's, gzip both;
 *      the paged view for a cookie that names no session (the page kept for everyone, with the
 *      guest form token), against the same page rendered per request (same template, thread in
 *      memory); a really signed-in reader; a cookie with the thread cache off; and, with
 *      BENCH_BASELINE_DIR (a checkout of an earlier version, e.g. `git worktree add /tmp/baseline
 *      <ref>` with node_modules linked), the signed-in page served by that version from the same
 *      database in the same run.
 * Prints p50/p99 latency, requests per second, bytes on the wire, and ratios from the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createHmac } from 'node:crypto';
import { SessionModel } from '../models/session';
import { UserModel } from '../models/user';
import { CommentModel } from '../models/comment';
import { LikeModel } from '../models/like';
import { connectMongoose } from '../server/db/connection';
import { startEmbeddedDb, withDatabase } from '../server/db/embedded';
import { writeBenchThread } from './lib/thread';
import { loadOn, WRK } from './lib/load';

const ROOT = path.resolve(__dirname, '..');
const SLUG = 'bench-thousand-comments';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** BENCH_CPU_PROF=dir: the servers under load write V8 CPU profiles there when stopped (node --cpu-prof). */
/** BENCH_ONLY=readers: only the signed-in against anonymous rows (issue 32), for a quick look. */
const ONLY_READERS = process.env.BENCH_ONLY === 'readers';
/** The session secret bench/page-server.ts runs with (a bench's own, never a site's). */
const BENCH_SECRET = 'benchmark-only-session-secret-0123456789';

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KB`;
}

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

/** Runs a bench/*.ts server and waits for its "ready <port> ..." line; returns the numbers on it. */
async function startChild(
  script: string,
  args: string[],
  root = ROOT,
): Promise<{ child: ChildProcess; numbers: number[] }> {
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready ([\d ]+)\n/.exec(out);
      if (match) resolve({ child, numbers: match[1].trim().split(' ').map(Number) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

async function startServer(uri: string, cacheSize: string, perPage = '', root = ROOT) {
  const { child, numbers } = await startChild('bench/page-server.ts', [uri, SLUG, cacheSize, perPage], root);
  return { child, port: numbers[0], comments: numbers[1] };
}

/** Bytes on the wire for one request with this Accept-Encoding. */
async function wireBytes(
  url: string,
  encoding: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const res = await fetch(url, { headers: { ...headers, 'accept-encoding': encoding } });
  const length = Number(res.headers.get('content-length'));
  return length || (await res.arrayBuffer()).byteLength;
}

interface Row {
  name: string;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function load(name: string, url: string, headers: Record<string, string> = {}): Promise<Row> {
  log(`${name}: warming up, then ${DURATION} s at 10 connections (${WRK ? 'wrk' : 'autocannon'})`);
  await loadOn(url, 2, headers);
  const { p50, p99, rps, errors } = await loadOn(url, DURATION, headers);
  const row = { name, p50, p99, rps, errors };
  log(`${name}: p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.rps.toFixed(0)} req/s, ${row.errors} errors`);
  return row;
}

/** An account and a session as a sign-in leaves them; its signed cookie, and the account's id. */
async function benchReader(username: string): Promise<{ cookie: string; id: string }> {
  const user = await UserModel.create({
    username,
    usernameLower: username,
    nameKey: username.replace(/-/g, ''),
    email: '',
    passwordHash: 'not-used',
    role: 'commenter',
  });
  const sid = `${username}-session`;
  const day = 86400000;
  await SessionModel.create({
    _id: sid,
    data: JSON.stringify({
      cookie: { originalMaxAge: day, expires: new Date(Date.now() + day), httpOnly: true, path: '/' },
      csrf: true,
      passport: { user: `${String(user._id)}.${user.sessionVersion ?? 0}` },
    }),
    expiresAt: new Date(Date.now() + day),
  });
  const signature = createHmac('sha256', BENCH_SECRET).update(sid).digest('base64').replace(/=+$/, '');
  return { cookie: `sid=${encodeURIComponent(`s:${sid}.${signature}`)}`, id: String(user._id) };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'advice-bench-'));
  log(`starting the embedded database in ${dataDir}`);
  const db = await startEmbeddedDb({
    binary: path.join(ROOT, 'tools/embedded-mongo/bin/embedded-mongo'),
    dataDir,
  });
  const uri = withDatabase(db.uri, 'bench');
  const children: ChildProcess[] = [];
  try {
    await connectMongoose(uri);
    const { postId, count, deepest } = await writeBenchThread({
      slug: SLUG,
      title: 'Benchmark: a thousand comments',
      count: 1000,
      seed: 42,
    });
    log(`wrote a post with ${count} comments (deepest: ${deepest})`);
    const signedIn = { cookie: (await benchReader('bench-reader')).cookie };
    // A commenter who comes back: replies of their own in 3 of the first page's 50 top-level
    // threads, and likes in 3 others (their Edit links and pressed buttons rendered for them).
    const commenter = await benchReader('bench-commenter');
    const roots = await CommentModel.find({ post: postId, parent: null }).sort({ _id: 1 }).limit(50).lean();
    for (const [i, root] of roots.entries()) {
      if (![2, 10, 30, 5, 20, 40].includes(i)) continue;
      const reply = (await CommentModel.find({ root: root._id }).lean()).find((c) => c.depth >= 1);
      const target = reply ?? root;
      if ([2, 10, 30].includes(i)) {
        await CommentModel.updateOne(
          { _id: target._id },
          { $set: { authorUser: commenter.id, authorName: 'bench-commenter', authorKind: 'user' } },
        );
      } else {
        await LikeModel.create({
          _id: `${String(target._id)}:u:${commenter.id}`,
          comment: target._id,
          post: postId,
          voter: `u:${commenter.id}`,
        });
      }
    }
    await mongoose.disconnect();

    const GZIP = { 'accept-encoding': 'gzip' };
    const SESSION = { cookie: 'sid=bench-reader' };
    const rows: Row[] = [];
    const ratios: string[] = [];
    const ratio = (what: string, ours: Row, ceiling: Row) => {
      const line = `${what}: ${(ours.rps / ceiling.rps).toFixed(2)}× the req/s (${ours.rps.toFixed(0)} vs ${ceiling.rps.toFixed(0)}), p99 ${ours.p99} ms vs ${ceiling.p99} ms`;
      ratios.push(line);
      log(line);
    };

    // 1. The whole thread on one page, against a bare server sending the same bytes.
    const bytes = { plain: 0, gzip: 0, br: 0 };
    if (!ONLY_READERS) {
      const whole = await startServer(uri, '100', '500');
      children.push(whole.child);
      const wholeUrl = `http://127.0.0.1:${whole.port}/posts/${SLUG}`;
      const page = await fetch(wholeUrl).then((r) => r.text());
      const shown = (page.match(/class="comment[ "]/g) ?? []).length;
      bytes.plain = await wireBytes(wholeUrl, 'identity');
      bytes.gzip = await wireBytes(wholeUrl, 'gzip');
      bytes.br = await wireBytes(wholeUrl, 'br');
      log(`the whole page shows ${shown} of ${whole.comments} comments`);
      log(`on the wire: ${kb(bytes.plain)} plain, ${kb(bytes.gzip)} gzip, ${kb(bytes.br)} brotli`);
      const bare = await startChild('bench/bare-server.ts', [wholeUrl]);
      children.push(bare.child);
      const bareBase = `http://127.0.0.1:${bare.numbers[0]}`;
      const wholePlain = await load('whole page, no session, plain', wholeUrl);
      const barePlain = await load('bare Node http, same bytes, plain', `${bareBase}/plain`);
      const wholeGzip = await load('whole page, no session, gzip', wholeUrl, GZIP);
      const bareGzip = await load('bare Node http, same bytes, gzip', `${bareBase}/gzip`, GZIP);
      rows.push(wholePlain, barePlain, wholeGzip, bareGzip);
      rows.push(await load('whole page, no session, brotli', wholeUrl, { 'accept-encoding': 'br' }));
      ratio('whole page plain vs bare', wholePlain, barePlain);
      ratio('whole page gzip vs bare', wholeGzip, bareGzip);
      bare.child.kill();
      whole.child.kill();
    }

    // 2 and 3. The paged default view, the home page, and readers with a session.
    const cached = await startServer(uri, '100');
    children.push(cached.child);
    const base = `http://127.0.0.1:${cached.port}`;
    const pagedAnon = await load(
      'paged view (50 top-level), no session, gzip',
      `${base}/posts/${SLUG}`,
      GZIP,
    );
    const homeAnon = await load('home page, no session, gzip', `${base}/`, GZIP);
    rows.push(pagedAnon, homeAnon);
    if (!ONLY_READERS) {
      const personal = await load(
        'paged view, a cookie naming no session (the page kept for everyone)',
        `${base}/posts/${SLUG}`,
        SESSION,
      );
      const ceiling = await load(
        'rendered per request (same template, thread in memory)',
        `${base}/__ceiling/posts/${SLUG}`,
        SESSION,
      );
      rows.push(personal, ceiling);
      ratio('paged view, a cookie naming no session, vs rendering it per request', personal, ceiling);
    }
    const asReader = await fetch(`${base}/posts/${SLUG}`, { headers: signedIn }).then((r) => r.text());
    if (!asReader.includes('bench-reader')) throw new Error('the signed-in row is not signed in');
    const pagedUrl = `${base}/posts/${SLUG}`;
    const [anonGzip, mineGzip] = [
      await wireBytes(pagedUrl, 'gzip'),
      await wireBytes(pagedUrl, 'gzip', signedIn),
    ];
    log(`paged view on the wire, gzip: ${kb(anonGzip)} without a session, ${kb(mineGzip)} signed in`);
    const mine = await load('paged view, signed in', `${base}/posts/${SLUG}`, signedIn);
    rows.push(mine);
    // Issue 32: a signed-in reader against an anonymous one, the same page, gzip both, same run.
    const pagedMine = await load('paged view, signed in, gzip', `${base}/posts/${SLUG}`, {
      ...signedIn,
      ...GZIP,
    });
    const homeMine = await load('home page, signed in, gzip', `${base}/`, { ...signedIn, ...GZIP });
    const asCommenter = await fetch(`${base}/posts/${SLUG}`, { headers: { cookie: commenter.cookie } });
    const commenterPage = await asCommenter.text();
    if ((commenterPage.match(/class="comment__edit/g) ?? []).length !== 3)
      throw new Error('the commenter row does not show their own three comments');
    const pagedCommenter = await load(
      'paged view, signed in, a commenter (own replies and likes in 6 of 50 threads), gzip',
      `${base}/posts/${SLUG}`,
      { cookie: commenter.cookie, ...GZIP },
    );
    rows.push(pagedMine, homeMine, pagedCommenter);
    ratio('signed-in paged view vs anonymous, gzip', pagedMine, pagedAnon);
    ratio('a commenter’s paged view vs anonymous, gzip', pagedCommenter, pagedAnon);
    ratio('signed-in home page vs anonymous, gzip', homeMine, homeAnon);
    cached.child.kill();

    const uncached = ONLY_READERS ? null : await startServer(uri, '0');
    if (uncached) {
      children.push(uncached.child);
      rows.push(
        await load(
          'paged view, with a session, thread cache off',
          `http://127.0.0.1:${uncached.port}/posts/${SLUG}`,
          SESSION,
        ),
      );
      uncached.child.kill();
    }

    // The same signed-in page from another checkout (BENCH_BASELINE_DIR, e.g. a git worktree of
    // the previous release), on the same database in the same run: "no slower than before".
    const baselineDir = process.env.BENCH_BASELINE_DIR;
    if (baselineDir) {
      const before = await startServer(uri, '100', '', path.resolve(baselineDir));
      children.push(before.child);
      const old = await load(
        `paged view, signed in, baseline (${path.basename(baselineDir)})`,
        `http://127.0.0.1:${before.port}/posts/${SLUG}`,
        signedIn,
      );
      rows.push(old);
      ratio('signed-in page vs the baseline checkout', mine, old);
      before.child.kill();
    }

    console.log('\n| Path | p50 (ms) | p99 (ms) | req/s |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const row of rows) console.log(`| ${row.name} | ${row.p50} | ${row.p99} | ${row.rps.toFixed(0)} |`);
    console.log(
      `\nWhole page on the wire: ${kb(bytes.plain)} plain, ${kb(bytes.gzip)} gzip, ${kb(bytes.br)} brotli.`,
    );
    for (const line of ratios) console.log(`- ${line}`);
    console.log(
      `\nnode ${process.version}, ${os.cpus().length} cores, ${DURATION} s per run, 10 connections, ${WRK ? 'wrk -t1' : 'autocannon'}`,
    );
    if (rows.some((r) => r.errors > 0)) throw new Error('some requests failed');
  } finally {
    for (const child of children) child.kill();
    await mongoose.disconnect().catch(() => undefined);
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`[bench] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
