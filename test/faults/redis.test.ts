/**
 * Faults: Redis (the Socket.IO adapter and the shared limits) stopped under two server processes.
 * Each process keeps serving; live updates across processes resume when Redis is back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import mongoose from 'mongoose';
import { buildPost } from '../fixtures/factories';
import { collect, join, pause, socketClient } from '../setup/live';
import { guestWriter, startServerProcess, type ServerProcess } from '../setup/server-process';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i += 1) {
    const up = await fetch(`http://127.0.0.1:${port}`).then(
      () => true,
      (err: { cause?: { code?: string } }) => err.cause?.code !== 'ECONNREFUSED',
    );
    if (up) return child;
    await pause(50);
  }
  throw new Error('redis-server did not start');
}

async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await pause(50);
  }
  return check();
}

describe('faults: Redis stopped under two processes', () => {
  jest.setTimeout(120000);
  const processes: ServerProcess[] = [];
  let redis: ChildProcess | undefined;
  afterAll(async () => {
    processes.forEach((p) => p.child.kill('SIGTERM'));
    redis?.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
  });

  it('each process keeps serving without it, and cross-process live updates come back with it', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    const uri = `${process.env.TEST_MONGODB_URI!.replace(/\/$/, '')}/${mongoose.connection.db!.databaseName}`;
    const post = await buildPost();
    const env = {
      MONGODB_URI: uri,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      SESSION_SECRET: randomBytes(24).toString('hex'),
      COMMENT_INTERVAL_SECONDS: '0',
    };
    const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    processes.push(a, b);
    const reader = await socketClient(b.url);
    expect((await join(reader, String(post._id))).ok).toBe(true);
    const seen = () =>
      [
        ...collected.map((e) => e.comment.html),
        ...batches.flatMap((e) => e.comments.map((c) => c.html)),
      ].join('\n');
    const collected = collect<{ comment: { html: string } }>(reader, 'comment:created');
    const batches = collect<{ comments: { html: string }[] }>(reader, 'comments:created');
    const viaA = await guestWriter(a.url, post.slug, 'Via A');
    const viaB = await guestWriter(b.url, post.slug, 'Via B');

    expect((await viaA('Before the outage')).status).toBe(303);
    expect(await eventually(() => seen().includes('Before the outage'))).toBe(true);

    redis.kill('SIGKILL');
    await pause(300);
    // Both keep serving pages and taking comments, quickly (limits count per process meanwhile).
    for (const server of [a, b]) {
      const started = Date.now();
      expect((await fetch(`${server.url}/posts/${post.slug}`)).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(3000);
    }
    expect((await viaA('During the outage, on A')).status).toBe(303);
    expect((await viaB('During the outage, on B')).status).toBe(303);
    // B's own readers still hear about B's comments.
    expect(await eventually(() => seen().includes('During the outage, on B'))).toBe(true);

    redis = await startRedis(port);
    let back = false;
    for (let i = 0; i < 60 && !back; i += 1) {
      await viaA(`After the outage ${i}`);
      await pause(500);
      back = seen().includes('After the outage');
    }
    expect(back).toBe(true);
    reader.disconnect();
  });
});
