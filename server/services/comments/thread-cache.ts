import { RecentMap } from '../../lib/recent-map.js';

/**
 * Keeps recently read threads in memory, each under the post's threadVersion
 * at the time it was read. A reader revalidates with the post it has already
 * loaded: a different version means a write happened, and the thread is read
 * again. Writers in this process also drop the entry at once; the age limit
 * bounds staleness when another process's version write is lost (the embedded
 * database can drop one of two concurrent updates of a document).
 */
export class ThreadCache<T> {
  private readonly entries: RecentMap<string, { version: string; value: T; at: number }>;

  constructor(
    maxEntries: number,
    private readonly maxAgeMs: number,
  ) {
    this.entries = new RecentMap(maxEntries);
  }

  get(postId: string, version: string): T | undefined {
    const found = this.lookup(postId, version);
    return found && !found.stale ? found.value : undefined;
  }

  /**
   * The entry for this version, and whether it is past the age limit: a stale entry can still be
   * served while it is read again in the background. Past twice the age it is dropped.
   */
  lookup(postId: string, version: string): { value: T; stale: boolean } | undefined {
    const entry = this.entries.get(postId);
    if (!entry) return undefined;
    const age = Date.now() - entry.at;
    if (entry.version !== version || age > 2 * this.maxAgeMs) {
      this.entries.delete(postId);
      return undefined;
    }
    this.entries.set(postId, entry); // the most recently used
    return { value: entry.value, stale: age > this.maxAgeMs };
  }

  /** The entry as it is, whatever its version: what this process last read or wrote. */
  peek(postId: string): { version: string; value: T } | undefined {
    const entry = this.entries.get(postId);
    if (!entry || Date.now() - entry.at > this.maxAgeMs) return undefined;
    return { version: entry.version, value: entry.value };
  }

  set(postId: string, version: string, value: T): void {
    this.entries.set(postId, { version, value, at: Date.now() });
  }

  delete(postId: string): void {
    this.entries.delete(postId);
  }

  clear(): void {
    this.entries.clear();
  }
}
