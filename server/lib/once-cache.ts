import { RecentMap } from './recent-map.js';

/**
 * Remembers, for a while, the outcome of work done under a key: the same key again gets the
 * same result (or waits for the work still running) instead of doing it twice. A failure is
 * not remembered, so a retry after an error tries again. Bounded: the oldest keys go first.
 */
export class OnceCache<T> {
  private readonly entries: RecentMap<string, { at: number; result: Promise<T> }>;

  constructor(
    private readonly ttlMs: number,
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new RecentMap(maxEntries);
  }

  once(key: string, work: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    if (found && this.now() - found.at < this.ttlMs) return found.result;
    const result = work();
    this.entries.set(key, { at: this.now(), result });
    result.catch(() => {
      if (this.entries.get(key)?.result === result) this.entries.delete(key);
    });
    return result;
  }

  /** Drops what is remembered under a key: the next call does the work again. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
