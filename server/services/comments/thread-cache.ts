/**
 * Keeps recently read threads in memory, each under the post's threadVersion
 * at the time it was read. A reader revalidates with the post it has already
 * loaded: a different version means a write happened, and the thread is read
 * again. Writers in this process also drop the entry at once; the age limit
 * bounds staleness when another process's version write is lost (the embedded
 * database can drop one of two concurrent updates of a document).
 */
export class ThreadCache<T> {
  private readonly entries = new Map<string, { version: string; value: T; at: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
  ) {}

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
    // Refresh recency: Map iteration order is insertion order.
    this.entries.delete(postId);
    this.entries.set(postId, entry);
    return { value: entry.value, stale: age > this.maxAgeMs };
  }

  /** The entry as it is, whatever its version: what this process last read or wrote. */
  peek(postId: string): { version: string; value: T } | undefined {
    const entry = this.entries.get(postId);
    if (!entry || Date.now() - entry.at > this.maxAgeMs) return undefined;
    return { version: entry.version, value: entry.value };
  }

  set(postId: string, version: string, value: T): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(postId);
    this.entries.set(postId, { version, value, at: Date.now() });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  delete(postId: string): void {
    this.entries.delete(postId);
  }

  clear(): void {
    this.entries.clear();
  }
}
