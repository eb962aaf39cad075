import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildTestApp, guestForm } from '../../setup/app';
import { join, next, socketClient } from '../../setup/live';
import { startServerProcess } from '../../setup/server-process';

const RUN_SECRET = randomBytes(24).toString('hex');

function startProcess(uri: string) {
  return startServerProcess({
    MONGODB_URI: uri,
    REDIS_URL: 'redis://127.0.0.1:6379',
    // Shared by both processes; new for each run, so limits kept in Redis by an earlier run
    // (keyed by hashed address) do not apply.
    SESSION_SECRET: RUN_SECRET,
  });
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
