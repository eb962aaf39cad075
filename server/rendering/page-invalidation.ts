import type { Logger } from 'pino';
import type { createClient } from 'redis';
import type { DomainEvents } from '../services/events.js';
import type { PageCache } from './page-cache.js';

const CHANNEL = 'advice:pages:invalidate';

/** What a domain event changes on pages: the post's own pages, and the lists that show its count. */
function tagsOf(postId: unknown): string[] {
  return [`post:${String(postId)}`, 'listing'];
}

/** Drops cached pages when a write in this process changes what they show. */
export function invalidateOnEvents(events: DomainEvents, cache: PageCache): () => void {
  const drop = ({ postId }: { postId: unknown }) => tagsOf(postId).forEach((tag) => cache.invalidate(tag));
  const offs = [
    events.on('comment.created', drop),
    events.on('comment.updated', drop),
    events.on('comment.deleted', drop),
    events.on('thread.updated', drop),
    events.on('post.saved', drop),
    events.on('post.published', drop),
  ];
  return () => offs.forEach((off) => off());
}

type Redis = ReturnType<typeof createClient>;

/**
 * With several processes: each write is published on Redis, and every process drops the pages it
 * holds for it. While Redis is away, pages live at most PAGE_CACHE_SECONDS.
 */
export async function invalidateAcrossProcesses(
  events: DomainEvents,
  cache: PageCache,
  redis: Redis,
  logger: Logger,
): Promise<() => Promise<void>> {
  const sub = redis.duplicate();
  sub.on('error', (err) => logger.error({ err }, 'redis (page invalidation) error'));
  await sub.connect();
  await sub.subscribe(CHANNEL, (message) => {
    for (const tag of message.split('\n')) if (tag) cache.invalidate(tag);
  });
  const publish = ({ postId }: { postId: unknown }) => {
    redis.publish(CHANNEL, tagsOf(postId).join('\n')).catch(() => undefined);
  };
  const offs = [
    events.on('comment.created', publish),
    events.on('comment.updated', publish),
    events.on('comment.deleted', publish),
    events.on('thread.updated', publish),
    events.on('post.saved', publish),
    events.on('post.published', publish),
  ];
  return async () => {
    offs.forEach((off) => off());
    await sub.quit().catch(() => undefined);
  };
}
