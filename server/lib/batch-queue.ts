import type { KeyedQueue } from './keyed-queue.js';

type Waiting<T, R> = { item: T; resolve: (result: R) => void; reject: (err: unknown) => void };

/**
 * Gathers work per key while the key is busy, and hands it over in batches: the first item
 * of a key starts at once; items that arrive meanwhile wait and go together in the next batch.
 * Batches of a key run one at a time on the given KeyedQueue (shared with other work on that
 * key), so each sees the results of the one before. One failing batch fails its items only.
 */
export class BatchQueue<T, R> {
  private readonly waiting = new Map<string, Waiting<T, R>[]>();

  constructor(
    private readonly queue: KeyedQueue,
    private readonly handle: (key: string, items: T[]) => Promise<R[]>,
    private readonly maxBatch = 50,
  ) {}

  add(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let list = this.waiting.get(key);
      if (!list) {
        list = [];
        this.waiting.set(key, list);
        void this.queue.run(key, () => this.drain(key));
      }
      list.push({ item, resolve, reject });
    });
  }

  private async drain(key: string): Promise<void> {
    const list = this.waiting.get(key) ?? [];
    this.waiting.delete(key);
    for (let i = 0; i < list.length; i += this.maxBatch) {
      const chunk = list.slice(i, i + this.maxBatch);
      try {
        const results = await this.handle(
          key,
          chunk.map((w) => w.item),
        );
        chunk.forEach((w, j) => w.resolve(results[j]));
      } catch (err) {
        chunk.forEach((w) => w.reject(err));
      }
    }
  }
}
