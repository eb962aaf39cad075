/**
 * The server under benchmark: the real app on the database at argv[2], plus
 * the render-only ceiling at /__ceiling/posts/:slug, which renders the same
 * page through the same code with the post and its comments held in memory.
 * Prints "ready <port>" when listening.
 */
import { Router } from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Post } from '../models/post';
import { createApp, createRequestListener } from '../server/app';
import { loadConfig } from '../server/config';
import { connectMongoose, mongooseHealth } from '../server/db/connection';
import { renderPostPage } from '../server/controllers/post-page';
import { createLogger } from '../server/logger';
import { VIEWS_DIR } from '../server/paths';
import { ThreadFragments } from '../server/rendering/thread-fragments';
import { createRenderer } from '../server/rendering/engine';
import { CommentService } from '../server/services/comments/comment-service';
import type { Thread } from '../server/services/comments/thread';
import { createServices } from '../server/services';

class InMemoryComments extends CommentService {
  thread!: Thread;
  override async loadThread(): Promise<Thread> {
    return this.thread;
  }
}

async function main(): Promise<void> {
  const [uri, slug, cacheSize, perPage] = process.argv.slice(2);
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    THREAD_CACHE_SIZE: cacheSize,
    ...(perPage ? { COMMENTS_PER_PAGE: perPage } : {}),
    SESSION_SECRET: 'benchmark-only-session-secret-0123456789',
  });
  await connectMongoose(uri);
  const renderer = createRenderer(VIEWS_DIR);
  const fragments = new ThreadFragments(renderer);
  const services = createServices({ config });
  // The ceiling: the post and thread read once, then every request renders from memory,
  // through the same middleware as the real page.
  const post: Post = await services.posts.getBySlug(slug);
  const memory = new InMemoryComments(config, services.events, services.posts, services.names, services.gate);
  memory.thread = await services.comments.loadThread(post, { fresh: true });
  const memoryServices = { gate: services.gate, comments: memory, fragments };
  const ceiling = Router().get('/__ceiling/posts/:slug', async (req, res) => {
    await renderPostPage(req, res, memoryServices, config, post, { page: 1, order: 'oldest' });
  });
  const app = createApp({
    config,
    logger: createLogger('silent'),
    database: mongooseHealth(),
    services,
    renderer,
    fragments,
    extraRoutes: [ceiling],
  });
  const server = createServer(createRequestListener(app));
  // Stopped by the bench: exit normally, so that `node --cpu-prof` writes its profile.
  process.on('SIGTERM', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `ready ${(server.address() as AddressInfo).port} ${memory.thread.comments.length}\n`,
    );
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
