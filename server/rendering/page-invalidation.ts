import type { Logger } from 'pino';
import type { createClient } from 'redis';
import type { DomainEvents } from '../services/events.js';
import type { PageCache } from './page-cache.js';

const CHANNEL = 'advice:pages:invalidate';

/** What a domain event changes on pages: the post's own pages, and the lists that show its count. */
function tagsOf(postId: unknown): string[] {
  return [`post:${String(postId)}`, 'listing'];
}

/** Calls `listener` with the post of every domain event that changes what pages show. */
function onPageChanges(events: DomainEvents, listener: (change: { postId: unknown }) => void): () => void {
  const offs = [
    events.on('comment.created', listener),
    events.on('comment.released', listener),
    events.on('comment.updated', listener),
    events.on('comment.hidden', listener),
    events.on('comment.deleted', listener),
    events.on('thread.updated', listener),
    events.on('post.saved', listener),
    events.on('post.published', listener),
  ];
  return () => offs.forEach((off) => off());
}

/** Drops cached pages when a write in this process changes what they show. */
export function invalidateOnEvents(events: DomainEvents, cache: PageCache): () => void {
  const off = onPageChanges(events, ({ postId }) => tagsOf(postId).forEach((tag) => cache.invalidate(tag)));
  // Settings show on every page (the title) or shape them (comments per page): each process
  // hears of a change when it applies it, so the local cache is all there is to drop.
  const offSettings = events.on('settings.changed', () => cache.clear());
  return () => {
    off();
    offSettings();
  };
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
  const off = onPageChanges(events, ({ postId }) => {
    redis.publish(CHANNEL, tagsOf(postId).join('\n')).catch(() => undefined);
  });
  return async () => {
    off();
    await sub.quit().catch(() => undefined);
  };
}
