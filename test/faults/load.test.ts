/**
 * Faults under load: a flood well past what the server sustains, and SIGTERM while readers post.
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { CommentModel } from '../../models/comment';
import { buildPost } from '../fixtures/factories';
import { buildTestApp } from '../setup/app';
import { listenLive } from '../setup/live';
import { guestWriter, startServerProcess } from '../setup/server-process';

describe('faults: floods and shutdowns under load', () => {
  jest.setTimeout(120000);

  it('a flood is shed with quick 503s, never an error or a crash, and memory stays bounded', async () => {
    // Many readers at once, each from an address of its own (a proxy says which).
    const test = buildTestApp({ MAX_IN_FLIGHT: '16', TRUST_PROXY: 'true' });
    const server = await listenLive(test);
    try {
      const post = await buildPost();
      const before = process.memoryUsage().rss;
      const statuses = new Map<number, number>();
      // Waves of 400 requests at once, far past 16 in flight. Each carries a session cookie, so each
      // page is built for its reader (pages without a session come from memory, too cheap to flood).
      for (let wave = 0; wave < 3; wave += 1) {
        const results = await Promise.all(
          Array.from({ length: 400 }, (_, i) =>
            fetch(`${server.url}/posts/${post.slug}`, {
              headers: {
                cookie: 'sid=flood',
                'x-forwarded-for': `198.51.${100 + (i % 2)}.${(i >> 1) % 250}`,
              },
            }).then(
              async (res) => {
                await res.arrayBuffer();
                return res.status;
              },
              () => 0,
            ),
          ),
        );
        for (const status of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      expect([...statuses.keys()].sort()).toEqual([200, 503]);
      expect(statuses.get(200)).toBeGreaterThan(0);
      expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
      // And it answers normally once the flood is over.
      expect((await fetch(`${server.url}/posts/${post.slug}`)).status).toBe(200);
      console.log(
        `[faults] flood: 1,200 requests, ${statuses.get(200)} served, ${statuses.get(503)} shed with 503`,
      );
    } finally {
      await server.close();
    }
  });

  it('SIGTERM while readers post: requests in flight finish, nothing acknowledged is lost, exit 0', async () => {
    const uri = `${process.env.TEST_MONGODB_URI!.replace(/\/$/, '')}/${mongoose.connection.db!.databaseName}`;
    const post = await buildPost();
    const server = await startServerProcess({
      MONGODB_URI: uri,
      SESSION_SECRET: randomBytes(24).toString('hex'),
      COMMENT_INTERVAL_SECONDS: '0',
    });
    const writers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => guestWriter(server.url, post.slug, `Writer ${i}`)),
    );
    const acknowledged: string[] = [];
    const failures: string[] = [];
    let stopping = false;
    const loops = writers.map(async (send, w) => {
      for (let n = 0; !stopping || n < 1; n += 1) {
        const body = `Shutdown ${w}-${n}`;
        try {
          const res = await send(body, { close: true });
          if (res.status === 303) acknowledged.push(body);
          else failures.push(`${res.status}`);
        } catch (err) {
          const code = (err as { cause?: { code?: string } }).cause?.code ?? String(err);
          // Refused at the door once the server stopped listening is fine; cut off mid-request is not.
          if (code === 'ECONNREFUSED') return;
          failures.push(code);
          return;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    stopping = true;
    server.child.kill('SIGTERM');
    await Promise.all(loops);
    expect(await server.exited).toBe(0);
    expect(failures).toEqual([]);
    const stored = new Set((await CommentModel.find({ post: post._id }).lean()).map((c) => c.bodySource));
    expect(acknowledged.filter((b) => !stored.has(b))).toEqual([]);
    console.log(`[faults] SIGTERM under load: ${acknowledged.length} acknowledged, all stored, 0 cut off`);
  });
});
