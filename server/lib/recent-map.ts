/**
 * A map of at most `max` entries for what a process remembers per reader or per key: setting a
 * key makes it the newest, and past `max` the oldest set goes first.
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): V {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
    return value;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value remembered under `key`, or `make()`'s, remembered (null and undefined included). */
  remember(key: K, make: () => V): V {
    return this.entries.has(key) ? (this.entries.get(key) as V) : this.set(key, make());
  }
}
