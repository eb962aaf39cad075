import type { Bus } from '../lib/bus.js';
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

/**
 * With several processes (workers of one machine, or machines sharing Redis): each write is told to
 * the others on the bus, and every process drops the pages it holds for it. While the bus is away,
 * pages live at most PAGE_CACHE_SECONDS.
 */
export async function invalidateAcrossProcesses(
  events: DomainEvents,
  cache: PageCache,
  bus: Bus,
): Promise<() => Promise<void>> {
  const unsubscribe = await bus.subscribe(CHANNEL, (message) => {
    for (const tag of message.split('\n')) if (tag) cache.invalidate(tag);
  });
  const off = onPageChanges(events, ({ postId }) => bus.publish(CHANNEL, tagsOf(postId).join('\n')));
  return async () => {
    off();
    await unsubscribe();
  };
}
