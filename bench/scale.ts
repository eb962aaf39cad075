/**
 * npm run bench:scale: the same requests on sites of 1,000, 100,000 and 1,000,000 comments.
 *
 * For each size (BENCH_SCALE_SIZES, comma-separated): a generated WordPress export of
 * 100-comment posts, with comments of a real column's lengths (median about 400 characters, a
 * tail to the 5,000 limit) and Zipf-distributed words (tools/realistic-text.ts), goes in through
 * the real `npm run import` into a fresh data directory, as an operator would (its time, peak
 * memory and the database's bytes on disk per comment are measured); accounts and reader letters
 * are added in proportion. Then the built server (`node dist/server/index.js`) is started on the
 * data directory as `npm start` does, with the database stopped, and its first start is timed
 * until /readyz answers 200. Then,
 * one request at a time from this process:
 *   - a cold post page (a post never read since the server started) and a warm one;
 *   - posting a guest comment, with 20 readers' sockets in the post's room;
 *   - liking a comment (a signed-in reader, 20 readers' sockets in the room), and the most
 *     liked order of a thread, cold and warm;
 *   - a post's comment feed (cold), a commenter's profile, the moderation queue,
 *     the letters inbox and signing in;
 * and a burst: 20 writers posting to one post at once for a few seconds with 100 sockets in
 * its room (comments accepted per second, errors, every acknowledged comment present once).
 * Prints p50/p99 per request and size, and each size's ratio to the smallest.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { io, type Socket } from 'socket.io-client';
import { CommentModel } from '../models/comment';
import { LetterModel } from '../models/letter';
import { PostModel } from '../models/post';
import { UserModel } from '../models/user';
import { loadConfig } from '../server/config';
import { connectMongoose } from '../server/db/connection';
import { startEmbeddedDb, withDatabase, type EmbeddedDb } from '../server/db/embedded';
import { createServices } from '../server/services';
import { generateWxr } from '../tools/generate-wxr';
import { Browser, quantile, timed } from './lib/browser';
import { startBuiltServer } from './lib/server';

const ROOT = path.resolve(__dirname, '..');
const SIZES = (process.env.BENCH_SCALE_SIZES ?? '1000,100000,1000000').split(',').map(Number);
const PER_POST = 100;
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 40);
const BURST_SECONDS = Number(process.env.BENCH_SCALE_BURST_SECONDS ?? 5);
const PASSWORD = 'benchmark-password-1234';

function log(message: string): void {
  console.log(`[bench:scale] ${message}`);
}

type Timings = Record<string, number[]>;
interface SizeResult {
  size: number;
  importSeconds: number;
  importPeakMb: number;
  bytesPerComment: number;
  meanCommentChars: number;
  firstStartSeconds: number;
  timings: Timings;
  burst: { accepted: number; errors: number; perSecond: number; missing: number; duplicateNumbers: number };
}

async function runImport(file: string, dataDir: string): Promise<{ seconds: number; peakMb: number }> {
  const started = Date.now();
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['dist/scripts/import.js', 'wordpress', file, '--report', `${dataDir}-report`],
      {
        cwd: ROOT,
        env: { ...process.env, MONGODB_URI: '', DATA_DIR: dataDir, DB_NAME: 'scale', SEED_ON_EMPTY: 'false' },
      },
    );
    let text = '';
    let lastShown = 0;
    child.stdout.on('data', (c: Buffer) => {
      text += c.toString();
      // Progress, but not every line of it.
      if (Date.now() - lastShown > 10000) {
        lastShown = Date.now();
        const lines = text.trim().split('\n');
        log(`  import: ${lines[lines.length - 1]}`);
      }
    });
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`import exited ${code}:\n${text}`)),
    );
  });
  return {
    seconds: (Date.now() - started) / 1000,
    peakMb: Number(/peak memory: (\d+) MB/.exec(output)?.[1] ?? NaN),
  };
}

/** Accounts (a reader with comments, a moderator, an editor) and one reader letter per post. */
async function addPeopleAndLetters(uri: string, posts: number): Promise<void> {
  await connectMongoose(uri);
  const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' });
  const services = createServices({ config });
  for (const [username, role] of [
    ['Bench Reader', 'commenter'],
    ['Bench Moderator', 'admin'],
    ['Bench Editor', 'editor'],
  ] as const) {
    const user = await services.users.register({
      username,
      password: PASSWORD,
      email: `${username.replace(' ', '.').toLowerCase()}@example.com`,
    });
    if (role !== 'commenter') await UserModel.updateOne({ _id: user.id }, { $set: { role } });
  }
  const letters = Math.max(10, posts);
  for (let i = 0; i < letters; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, letters - i) }, (_, j) => ({
      reference: `Q-B${String(i + j).padStart(7, '0')}`,
      subject: `My coworker does something odd, case ${i + j}`,
      body: 'A long letter about a coworker, a manager and a spreadsheet. '.repeat(8),
      pseudonym: `Reader ${i + j}`,
      email: `reader${i + j}@example.com`,
      consentPublish: true,
      status: ['new', 'shortlisted', 'answered', 'declined'][(i + j) % 4],
    }));
    await LetterModel.insertMany(batch, { ordered: false });
  }
  await mongoose.disconnect();
}

function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  return startBuiltServer({
    cwd: ROOT,
    dataDir,
    secret: 'benchmark-only-session-secret-0123456789',
    nodeArgs: process.env.BENCH_SERVER_PROF
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_PROF]
      : [],
    env: { LOGIN_MAX_FAILURES: '100', DB_NAME: 'scale' },
  });
}

async function joinRoom(base: string, postId: string, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  while (sockets.length < count) {
    const batch = Array.from({ length: Math.min(50, count - sockets.length) }, async () => {
      const socket = io(base, { transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const reply = await socket.timeout(10000).emitWithAck('thread:join', { postId });
      if (!reply?.ok) throw new Error('could not join the post’s room');
      return socket;
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

const slugOf = (n: number) => `generated-question-${n}`;

async function sample(
  timings: Timings,
  name: string,
  count: number,
  request: (i: number) => Promise<number>,
  /** Untimed work before each request. */
  prepare?: (i: number) => Promise<unknown>,
) {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await prepare?.(i);
    const status = await timed(async () => {
      const got = await request(i);
      if (got >= 400) throw new Error(`${name}: answered ${got}`);
    });
    times.push(status);
  }
  timings[name] = times;
  log(`  ${name}: p50 ${quantile(times, 0.5).toFixed(1)} ms, p99 ${quantile(times, 0.99).toFixed(1)} ms`);
}

async function measure(base: string, posts: number): Promise<Pick<SizeResult, 'timings' | 'burst'>> {
  const timings: Timings = {};
  // BENCH_SCALE_ONLY=burst: the writers' burst alone (for profiling the write path).
  if (process.env.BENCH_SCALE_ONLY === 'burst') return { timings, burst: await burst(base, posts) };
  const anon = new Browser(base);
  // Warm-up, untimed: the server's first requests compile templates and code paths.
  for (let i = 0; i < 5; i += 1) {
    await anon.get(`/posts/${slugOf(posts)}`);
    await anon.get(`/posts/${slugOf(posts)}/comments.xml`);
    await anon.get('/');
  }
  // Posts spread over the whole site. Cold: before each read, the post's thread version is changed
  // from here, as another process's write would, so the server reads the thread from the database
  // (a small site has fewer posts than samples).
  const spread = (i: number) => 1 + (Math.floor(((i + 0.5) * posts) / (SAMPLES * 2)) % posts);
  const makeCold = (slug: string) =>
    PostModel.updateOne({ slug }, { $set: { threadVersion: `bench-${Math.random()}` } });
  await sample(
    timings,
    'post page, cold',
    SAMPLES,
    async (i) => (await anon.get(`/posts/${slugOf(spread(i))}`)).status,
    (i) => makeCold(slugOf(spread(i))),
  );
  const warm = slugOf(Math.ceil(posts / 2));
  await anon.get(`/posts/${warm}`);
  await sample(
    timings,
    'post page, warm',
    SAMPLES * 2,
    async () => (await anon.get(`/posts/${warm}`)).status,
  );
  await sample(
    timings,
    'comment feed, cold',
    SAMPLES,
    async (i) => (await anon.get(`/posts/${slugOf(spread(i + SAMPLES))}/comments.xml`)).status,
    (i) => makeCold(slugOf(spread(i + SAMPLES))),
  );

  const target = await PostModel.findOne({ slug: warm }).select('_id').lean();
  const readers = await joinRoom(base, String(target!._id), 20);
  const guest = new Browser(base);
  await guest.get(`/posts/${warm}`);
  await sample(timings, 'post a comment (20 readers)', SAMPLES, async (i) => {
    const res = await guest.post(`/posts/${warm}/comments`, {
      name: `Bench guest ${i}`,
      email: '',
      body: `A guest comment for the benchmark, number ${i}.`,
      parent: '',
    });
    return res.status === 303 ? 200 : res.status;
  });
  readers.forEach((s) => s.disconnect());

  const reader = new Browser(base);
  await reader.signIn('Bench Reader', PASSWORD);
  for (let i = 0; i < 30; i += 1) {
    await reader.get(`/posts/${slugOf(spread(i))}`);
    await reader.post(`/posts/${slugOf(spread(i))}/comments`, { body: `Profile comment ${i}.`, parent: '' });
  }
  await sample(
    timings,
    'profile page',
    SAMPLES,
    async () => (await anon.get('/users/Bench%20Reader')).status,
  );

  await likeRows(timings, { base, reader, anon, warm, postId: String(target!._id), posts });

  const moderator = new Browser(base);
  await moderator.signIn('Bench Moderator', PASSWORD);
  await sample(timings, 'moderation queue', SAMPLES, async () => (await moderator.get('/moderation')).status);
  const editor = new Browser(base);
  await editor.signIn('Bench Editor', PASSWORD);
  await sample(timings, 'letters inbox', SAMPLES, async () => (await editor.get('/editor/letters')).status);
  await sample(timings, 'sign in', Math.ceil(SAMPLES / 2), async () => {
    const visitor = new Browser(base);
    await visitor.get('/login');
    const started = performance.now();
    const res = await visitor.post('/login', { username: 'Bench Reader', password: PASSWORD, next: '/' });
    timings.__signInOnly = [...(timings.__signInOnly ?? []), performance.now() - started];
    return res.status === 303 ? 200 : res.status;
  });
  timings['sign in'] = timings.__signInOnly;
  delete timings.__signInOnly;

  return { timings, burst: await burst(base, posts) };
}

/**
 * Liking: the signed-in reader likes comments of the warm post, one request each, with 20 readers'
 * sockets in its room (each like is a thread write, sent to them live); then the most liked order
 * of posts across the site, cold (the thread read from the database and sorted) and warm.
 */
async function likeRows(
  timings: Timings,
  at: { base: string; reader: Browser; anon: Browser; warm: string; postId: string; posts: number },
): Promise<void> {
  const { reader, anon } = at;
  const page = await reader.get(`/posts/${at.warm}`);
  const likeable = [...new Set([...page.text.matchAll(/data-like="([0-9a-f]{24})"/g)].map((m) => m[1]))];
  const room = await joinRoom(at.base, at.postId, 20);
  await sample(timings, 'like a comment (20 readers)', Math.min(SAMPLES, likeable.length), async (i) => {
    const res = await reader.post(`/comments/${likeable[i]}/like`, { like: 'on' });
    return res.status === 303 ? 200 : res.status;
  });
  room.forEach((s) => s.disconnect());
  const spread = (i: number) => 1 + (Math.floor(((i + 0.5) * at.posts) / (SAMPLES * 2)) % at.posts);
  await sample(
    timings,
    'most liked order, cold',
    SAMPLES,
    async (i) => (await anon.get(`/posts/${slugOf(spread(i))}?order=top`)).status,
    (i) =>
      PostModel.updateOne({ slug: slugOf(spread(i)) }, { $set: { threadVersion: `bench-${Math.random()}` } }),
  );
  await anon.get(`/posts/${at.warm}?order=top`);
  await sample(
    timings,
    'most liked order, warm',
    SAMPLES * 2,
    async () => (await anon.get(`/posts/${at.warm}?order=top`)).status,
  );
}

/** 20 writers at once on one post, 100 sockets in its room. */
async function burst(base: string, posts: number): Promise<SizeResult['burst']> {
  const slug = slugOf(Math.max(1, Math.floor(posts / 3)));
  const post = await PostModel.findOne({ slug }).select('_id').lean();
  const sockets = await joinRoom(base, String(post!._id), 100);
  const acknowledged: string[] = [];
  let errors = 0;
  const deadline = Date.now() + BURST_SECONDS * 1000;
  log(`  burst: 20 writers on ${slug} for ${BURST_SECONDS} s, 100 sockets in the room`);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 20 }, async (_, w) => {
      const writer = new Browser(base);
      await writer.get(`/posts/${slug}`);
      for (let n = 0; Date.now() < deadline; n += 1) {
        const marker = `burst-${w}-${n}`;
        const res = await writer
          .post(`/posts/${slug}/comments`, {
            name: `Writer ${w}`,
            email: '',
            body: `Burst ${marker}.`,
            parent: '',
          })
          .catch(() => ({ status: 0 }));
        if (res.status === 303) acknowledged.push(marker);
        else errors += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  sockets.forEach((s) => s.disconnect());
  const stored = await CommentModel.find({ post: post!._id }).select('bodySource number').lean();
  const bodies = new Map<string, number>();
  for (const c of stored) bodies.set(c.bodySource, (bodies.get(c.bodySource) ?? 0) + 1);
  const missing = acknowledged.filter((m) => bodies.get(`Burst ${m}.`) !== 1).length;
  const duplicateNumbers = stored.length - new Set(stored.map((c) => c.number)).size;
  const perSecond = acknowledged.length / seconds;
  log(
    `  burst: ${acknowledged.length} accepted (${perSecond.toFixed(0)}/s), ${errors} errors, ${missing} missing`,
  );
  return { accepted: acknowledged.length, errors, perSecond, missing, duplicateNumbers };
}

/** Bytes of the database's files (SQLite's file, its WAL and shared memory). */
function bytesOnDisk(dir: string): number {
  return readdirSync(dir)
    .filter((name) => name.includes('.sqlite'))
    .reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
}

/** Starts the server on the data directory (its database stopped, as after a reboot) and times it until /readyz is 200. */
async function firstStart(
  dataDir: string,
): Promise<{ server: { child: ChildProcess; base: string }; seconds: number }> {
  const started = performance.now();
  const server = await startServer(dataDir);
  for (;;) {
    const ready = await fetch(`${server.base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { server, seconds: (performance.now() - started) / 1000 };
}

async function runSize(size: number): Promise<SizeResult> {
  const posts = Math.max(1, Math.round(size / PER_POST));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-bench-scale-'));
  const dataDir = path.join(dir, 'db');
  let db: EmbeddedDb | undefined;
  let server: { child: ChildProcess; base: string } | undefined;
  try {
    log(
      `${size.toLocaleString('en-US')} comments: generating ${posts} posts × ${PER_POST} comments of realistic length`,
    );
    const file = path.join(dir, 'export.xml');
    await generateWxr(file, posts, PER_POST, { realistic: true });
    log(
      `  ${(statSync(file).size / 1e6).toFixed(0)} MB of WXR; importing with npm run import into a new data directory`,
    );
    const imported = await runImport(file, dataDir);
    rmSync(file);
    log(
      `  imported in ${imported.seconds.toFixed(1)} s, peak ${imported.peakMb} MB; adding accounts and letters`,
    );
    const binary = path.join(ROOT, 'tools/embedded-mongo/bin/embedded-mongo');
    db = await startEmbeddedDb({ binary, dataDir });
    const uri = withDatabase(db.uri, 'scale');
    await addPeopleAndLetters(uri, posts);
    await connectMongoose(uri);
    const first = await PostModel.findOne({ slug: slugOf(1) })
      .select('_id')
      .lean();
    const sampleBodies = await CommentModel.find({ post: first!._id }).select('bodySource').lean();
    const meanCommentChars =
      sampleBodies.reduce((sum, c) => sum + c.bodySource.length, 0) / sampleBodies.length;
    await mongoose.disconnect();
    // Nothing uses the database now: it stops, and the next start is a cold one.
    await db.stop();
    db = undefined;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const bytesPerComment = bytesOnDisk(dataDir) / size;
    log(
      `  ${(bytesOnDisk(dataDir) / 1e6).toFixed(0)} MB on disk, ${bytesPerComment.toFixed(0)} bytes per comment (mean comment ${meanCommentChars.toFixed(0)} characters)`,
    );

    const start = await firstStart(dataDir);
    server = start.server;
    log(`  first start: ready in ${start.seconds.toFixed(1)} s`);
    db = await startEmbeddedDb({ binary, dataDir });
    await connectMongoose(uri);
    log('  measuring');
    const measured = await measure(server.base, posts);
    return {
      size,
      importSeconds: imported.seconds,
      importPeakMb: imported.peakMb,
      bytesPerComment,
      meanCommentChars,
      firstStartSeconds: start.seconds,
      ...measured,
    };
  } finally {
    server?.child.kill('SIGTERM');
    await mongoose.disconnect().catch(() => undefined);
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dataDir}-report`, { recursive: true, force: true });
  }
}

function report(results: SizeResult[]): void {
  const base = results[0];
  const names = Object.keys(base.timings);
  const sizes = results.map((r) => r.size.toLocaleString('en-US'));
  console.log(
    `\n| request | ${sizes.map((s) => `${s}: p50 / p99 (ms)`).join(' | ')} | ${sizes
      .slice(1)
      .map((s) => `p99 ×, ${s}`)
      .join(' | ')} |`,
  );
  console.log(`| --- |${' ---: |'.repeat(sizes.length * 2 - 1)}`);
  for (const name of names) {
    const cells = results.map(
      (r) => `${quantile(r.timings[name], 0.5).toFixed(1)} / ${quantile(r.timings[name], 0.99).toFixed(1)}`,
    );
    const ratios = results
      .slice(1)
      .map((r) => `${(quantile(r.timings[name], 0.99) / quantile(base.timings[name], 0.99)).toFixed(2)}×`);
    console.log(`| ${name} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  console.log(
    '\n| comments | mean comment (chars) | import (s) | import comments/s | import peak memory (MB) | bytes on disk per comment | first start, ready (s) | burst: accepted/s | errors | missing | duplicate numbers |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.size.toLocaleString('en-US')} | ${r.meanCommentChars.toFixed(0)} | ${r.importSeconds.toFixed(1)} | ${Math.round(r.size / r.importSeconds)} | ${r.importPeakMb} | ${r.bytesPerComment.toFixed(0)} | ${r.firstStartSeconds.toFixed(1)} | ${r.burst.perSecond.toFixed(0)} | ${r.burst.errors} | ${r.burst.missing} | ${r.burst.duplicateNumbers} |`,
    );
  }
}

async function main(): Promise<void> {
  log('building the server (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await runSize(size));
  report(results);
}

main().catch((err: unknown) => {
  console.error(`[bench:scale] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
