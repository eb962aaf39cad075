import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildTestApp, guestForm } from '../../setup/app';
import { join, next, socketClient } from '../../setup/live';
import { ROOT } from '../../setup/paths';

const RUN_SECRET = randomBytes(24).toString('hex');

/** The real entry point (server/index.ts) as its own process, on this test file's database. */
async function startProcess(uri: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.homedir(),
      MONGODB_URI: uri,
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_ON_EMPTY: 'false',
      SITE_URL: 'http://127.0.0.1',
      LOG_LEVEL: 'info',
      // Shared by both processes; new for each run, so limits kept in Redis by an earlier run
      // (keyed by hashed address) do not apply.
      SESSION_SECRET: RUN_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 45000;
  while (Date.now() < deadline) {
    const match = /"port":(\d+)/.exec(output);
    if (match) return { child, url: `http://127.0.0.1:${match[1]}` };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`server process did not start:\n${output}`);
}

describe('live updates across two server processes (Redis adapter)', () => {
  jest.setTimeout(90000);
  const { services } = buildTestApp();
  const processes: ChildProcess[] = [];

  afterAll(() => processes.forEach((child) => child.kill('SIGTERM')));

  it('delivers a reply posted through process A to a reader connected to process B', async () => {
    const uri = `${process.env.TEST_MONGODB_URI!.replace(/\/$/, '')}/${mongoose.connection.db!.databaseName}`;
    const post = await buildPost();
    const parent = await postComment(services, post, { name: 'Across' });
    const [a, b] = await Promise.all([startProcess(uri), startProcess(uri)]);
    processes.push(a.child, b.child);

    const reader = await socketClient(b.url);
    try {
      expect((await join(reader, String(post._id))).ok).toBe(true);
      const arriving = next<{ comment: { parentId: string; html: string } }>(
        reader,
        'comment:created',
        10000,
      );
      await request(a.url)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({
          _csrf: guestForm(RUN_SECRET),
          name: 'Process A',
          body: 'Sent to A',
          parent: String(parent._id),
        })
        .expect(303);
      const event = await arriving;
      expect(event.comment.parentId).toBe(String(parent._id));
      expect(event.comment.html).toContain('Sent to A');
    } finally {
      reader.disconnect();
    }
  });
});
