import type { Bus } from '../lib/bus.js';
import type { DomainEvents } from '../services/events.js';
import type { PageCache } from './page-cache.js';

const CHANNEL = 'advice:pages:invalidate';

/** What a domain event changes on pages: the post's own pages, and the lists that show its count. */
function tagsOf(postId: unknown): string[] {
  return [`post:${String(postId)}`, 'listing'];
}

/** Calls `listener` with the tags of the pages each domain event changes. */
function onPageChanges(events: DomainEvents, listener: (tags: string[]) => void): () => void {
  const changed = ({ postId }: { postId: unknown }) => listener(tagsOf(postId));
  const offs = [
    events.on('comment.created', changed),
    events.on('comment.released', changed),
    events.on('comment.updated', changed),
    events.on('comment.hidden', changed),
    events.on('comment.deleted', changed),
    events.on('thread.updated', changed),
    events.on('post.saved', changed),
    events.on('post.published', changed),
    // A like changes the post's pages (a count, the most liked order), not the lists.
    events.on('comment.liked', ({ postId }) => listener([`post:${String(postId)}`])),
  ];
  return () => offs.forEach((off) => off());
}

/** Drops cached pages when a write in this process changes what they show. */
export function invalidateOnEvents(events: DomainEvents, cache: PageCache): () => void {
  const off = onPageChanges(events, (tags) => tags.forEach((tag) => cache.invalidate(tag)));
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
  const off = onPageChanges(events, (tags) => bus.publish(CHANNEL, tags.join('\n')));
  return async () => {
    off();
    await unsubscribe();
  };
}
