/**
 * The server under the live benchmark: the real app and sockets on the
 * database at argv[2], plus POST /__bench/bare/:postId, which broadcasts a
 * ready-made payload of the same shape to the post's room with no database
 * work: the bare Socket.IO broadcast baseline. Prints "ready <port>".
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApp } from '../server/app';
import { createWebAuth } from '../server/auth/web-auth';
import { loadConfig } from '../server/config';
import { connectMongoose, mongooseHealth } from '../server/db/connection';
import { createLogger } from '../server/logger';
import { VIEWS_DIR } from '../server/paths';
import { ThreadFragments } from '../server/rendering/thread-fragments';
import { createRenderer } from '../server/rendering/engine';
import { createServices } from '../server/services';
import { attachSockets } from '../server/sockets';
import { loadLiveThread, renderLiveComment, roomFor } from '../server/sockets/live-comment';

async function main(): Promise<void> {
  const [uri] = process.argv.slice(2);
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    SITE_URL: 'http://127.0.0.1',
    SESSION_SECRET: 'benchmark-only-session-secret-0123456789',
    // The benchmark posts a reply every few milliseconds from one address.
    COMMENT_INTERVAL_SECONDS: '0',
  });
  const logger = createLogger('silent');
  await connectMongoose(uri);
  const renderer = createRenderer(VIEWS_DIR);
  const fragments = new ThreadFragments(renderer);
  const services = createServices({ config });
  const webAuth = createWebAuth({ config, users: services.users });
  const app = createApp({
    config,
    logger,
    database: mongooseHealth(),
    services,
    renderer,
    fragments,
    webAuth,
  });
  const outer = express();
  const server = createServer(outer);
  const live = await attachSockets(server, { config, logger, services, fragments, webAuth });

  outer.post('/__bench/bare/:postId', async (req, res) => {
    const { post, thread } = await loadLiveThread(services, req.params.postId);
    const last = thread.visible[thread.visible.length - 1];
    const comment = renderLiveComment(fragments, post, thread, String(last._id));
    res.status(204).end();
    live.io
      .to(roomFor(post._id))
      .emit('comment:created', { comment, total: thread.visible.length, bare: true });
  });
  outer.use(app);
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`ready ${(server.address() as AddressInfo).port}\n`);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
