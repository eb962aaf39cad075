/**
 * npm run bench (second part): live reply latency.
 *
 * A post's room holds 100, then 1,000 connected sockets (real socket.io-client
 * connections over WebSocket, in this process). Each round either POSTs a
 * reply through the real form route (write, thread reload, render,
 * broadcast) or asks the server for a bare broadcast of a payload of the same
 * shape (no database work), and times from the request to each socket's
 * receipt. Rounds alternate between the two. Reports p50, p99 and the last
 * recipient, medians over the rounds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { io, type Socket } from 'socket.io-client';
import { PostModel } from '../models/post';
import { connectMongoose } from '../server/db/connection';
import { startEmbeddedDb, withDatabase } from '../server/db/embedded';

const ROOT = path.resolve(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);

function log(message: string): void {
  console.log(`[bench:live] ${message}`);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function startServer(uri: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/live-server.ts', uri], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /ready (\d+)/.exec(chunk.toString());
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function connectAll(url: string, postId: string, count: number, existing: Socket[]): Promise<Socket[]> {
  const sockets = [...existing];
  while (sockets.length < count) {
    const batch = Array.from({ length: Math.min(100, count - sockets.length) }, async () => {
      const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      const reply = await socket.timeout(10000).emitWithAck('thread:join', { postId });
      if (!reply.ok) throw new Error('join failed');
      return socket;
    });
    sockets.push(...(await Promise.all(batch)));
    log(`  ${sockets.length} / ${count} sockets connected`);
  }
  return sockets;
}

async function round(sockets: Socket[], trigger: () => Promise<unknown>, bare: boolean): Promise<number[]> {
  const start = performance.now();
  const times: number[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('not every socket received the event')), 20000);
    for (const socket of sockets) {
      socket.once('comment:created', (event: { bare?: boolean }) => {
        if (Boolean(event.bare) !== bare) return;
        times.push(performance.now() - start);
        if (times.length === sockets.length) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
  await trigger();
  await done;
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'advice-bench-live-'));
  log(`starting the embedded database in ${dataDir}`);
  const db = await startEmbeddedDb({
    binary: path.join(ROOT, 'tools/embedded-mongo/bin/embedded-mongo'),
    dataDir,
  });
  const uri = withDatabase(db.uri, 'benchlive');
  let server: { child: ChildProcess; url: string } | undefined;
  let sockets: Socket[] = [];
  try {
    await connectMongoose(uri);
    const post = await PostModel.create({
      title: 'Live benchmark',
      slug: 'live-benchmark',
      answerHtml: '<p>Answer.</p>',
      authorName: 'Marisol Vance',
      status: 'published',
      publishedAt: new Date(),
      threadVersion: 'v1',
    });
    await mongoose.disconnect();
    server = await startServer(uri);
    const postId = String(post._id);
    const url = server.url;
    let n = 0;
    // The page's form token, as a reader's browser has it.
    const page = await (await fetch(`${url}/posts/live-benchmark`)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const postReply = () =>
      fetch(`${url}/posts/live-benchmark/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          _csrf: token,
          name: `Bench ${(n += 1)}`,
          body: `Live reply number ${n}, with *some* text.`,
        }),
        redirect: 'manual',
      });
    const bare = () => fetch(`${url}/__bench/bare/${postId}`, { method: 'POST' });
    await postReply();

    console.log('\n| Sockets | Path | p50 (ms) | p99 (ms) | last recipient (ms) | p99 vs bare |');
    console.log('| ---: | --- | ---: | ---: | ---: | ---: |');
    for (const count of [100, 1000]) {
      log(`connecting ${count} sockets to the post's room`);
      sockets = await connectAll(url, postId, count, sockets);
      const paths = [
        ['bare Socket.IO broadcast', bare, true],
        ['reply POST → receipt', postReply, false],
      ] as const;
      const results: Record<string, { p50: number[]; p99: number[]; last: number[] }> = {};
      for (const [name, trigger, isBare] of paths) {
        results[name] = { p50: [], p99: [], last: [] };
        await round(sockets, trigger, isBare); // warm-up
      }
      // Rounds alternate between the two paths, so both meet the same machine (GC, the database's
      // background work, the other core's load), and the ratio compares like with like.
      for (let r = 0; r < ROUNDS; r += 1) {
        for (const [name, trigger, isBare] of paths) {
          const times = await round(sockets, trigger, isBare);
          results[name].p50.push(quantile(times, 0.5));
          results[name].p99.push(quantile(times, 0.99));
          results[name].last.push(times[times.length - 1]);
        }
      }
      log(`${count} sockets: ${ROUNDS} rounds of each path done`);
      const bareP99 = median(results['bare Socket.IO broadcast'].p99);
      for (const [name, stats] of Object.entries(results)) {
        const p99 = median(stats.p99);
        console.log(
          `| ${count} | ${name} | ${median(stats.p50).toFixed(1)} | ${p99.toFixed(1)} | ${median(stats.last).toFixed(1)} | ${(p99 / bareP99).toFixed(2)}× |`,
        );
      }
    }
    console.log(
      `\nnode ${process.version}, ${os.cpus().length} cores, medians of ${ROUNDS} rounds; clients and server on one machine`,
    );
  } finally {
    sockets.forEach((s) => s.disconnect());
    server?.child.kill();
    await mongoose.disconnect().catch(() => undefined);
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`[bench:live] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
