/**
 * npm run bench: the post page with 1,000 comments.
 *
 * Starts its own embedded FerretDB (temporary directory), writes a post with
 * 1,000 comments several levels deep, and starts the app in a child process.
 * Then autocannon, 10 connections for 10 s each, against:
 *   1. the post page served from the embedded database (the real app);
 *   2. the same page with the thread cache off (every request reads the thread);
 *   3. the render-only ceiling: the same template and code, thread in memory.
 * Prints p50/p99 latency and requests per second, and the ratios to the ceiling.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { CommentModel } from '../models/comment';
import { PostModel } from '../models/post';
import { connectMongoose } from '../server/db/connection';
import { startEmbeddedDb, withDatabase } from '../server/db/embedded';
import { generateThread } from '../server/seed/generate';

const ROOT = path.resolve(__dirname, '..');
const SLUG = 'bench-thousand-comments';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

async function startServer(
  uri: string,
  cacheSize: string,
): Promise<{ child: ChildProcess; port: number; comments: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/page-server.ts', uri, SLUG, cacheSize], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\d+) (\d+)/.exec(out);
      if (match) resolve({ child, port: Number(match[1]), comments: Number(match[2]) });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

interface Row {
  name: string;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
}

async function load(name: string, url: string): Promise<Row> {
  log(`${name}: warming up, then ${DURATION} s at 10 connections`);
  await autocannon({ url, connections: 10, duration: 2 });
  const result = await autocannon({ url, connections: 10, duration: DURATION });
  const row = {
    name,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    errors: result.errors + result.non2xx,
  };
  log(`${name}: p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.rps.toFixed(0)} req/s, ${row.errors} errors`);
  return row;
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
    const postId = new Types.ObjectId();
    const comments = generateThread({
      post: postId,
      slug: 'coworker-presents-my-analysis-as-hers',
      count: 1000,
      topLevelShare: 0.2,
      start: new Date('2026-11-01T09:00:00Z'),
      columnist: 'Marisol Vance',
      seed: 42,
    });
    log(
      `writing a post with ${comments.length} comments (deepest: ${Math.max(...comments.map((c) => c.depth))})`,
    );
    for (let i = 0; i < comments.length; i += 250) await CommentModel.insertMany(comments.slice(i, i + 250));
    await PostModel.create({
      _id: postId,
      title: 'Benchmark: a thousand comments',
      slug: SLUG,
      letterSource: 'A letter.',
      letterHtml: '<p>A letter.</p>',
      answerSource: 'An answer.',
      answerHtml: '<p>An answer.</p>',
      excerpt: 'A letter.',
      authorName: 'Marisol Vance',
      status: 'published',
      publishedAt: new Date(),
      commentStatus: 'open',
      threadVersion: 'v1',
      commentCount: comments.length,
    });
    await mongoose.disconnect();

    const cached = await startServer(uri, '100');
    children.push(cached.child);
    const base = `http://127.0.0.1:${cached.port}`;
    const page = await fetch(`${base}/posts/${SLUG}`).then((r) => r.text());
    const shown = (page.match(/class="comment[ "]/g) ?? []).length;
    log(
      `the page shows ${shown} of ${cached.comments} comments (50 top-level per page, with all their replies)`,
    );

    const rows: Row[] = [];
    rows.push(await load('database (thread cache on, the default)', `${base}/posts/${SLUG}`));
    rows.push(await load('render-only ceiling (same process, in memory)', `${base}/__ceiling/posts/${SLUG}`));
    cached.child.kill();

    const uncached = await startServer(uri, '0');
    children.push(uncached.child);
    rows.push(await load('database (thread cache off)', `http://127.0.0.1:${uncached.port}/posts/${SLUG}`));
    uncached.child.kill();

    const ceiling = rows[1];
    console.log('\n| Path | p50 (ms) | p99 (ms) | req/s | vs ceiling (req/s) |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const row of rows) {
      console.log(
        `| ${row.name} | ${row.p50} | ${row.p99} | ${row.rps.toFixed(0)} | ${(row.rps / ceiling.rps).toFixed(2)}× |`,
      );
    }
    console.log(
      `\nnode ${process.version}, ${os.cpus().length} cores, ${DURATION} s per run, 10 connections`,
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
