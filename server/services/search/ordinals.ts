import { SearchBlockModel } from '../../../models/search.js';
import { isDuplicateKey } from '../../db/upsert.js';

/** Ordinals a process takes at a time. */
export const BLOCK = 4096;

/**
 * Hands out index ordinals: small whole numbers, one per indexed document, never the same twice,
 * across processes. A process claims a block of BLOCK by inserting its number (a unique _id: of
 * two processes claiming the same block, one insert fails and that one tries the next), then gives
 * them out from memory. Blocks are never dropped, not even by a rebuild, so a process that claimed
 * one before the rebuild never hands out an ordinal the rebuild also uses.
 */
export class Ordinals {
  private next = 0;
  private end = 0;
  private last: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** `count` new ordinals, in increasing order. */
  take(count: number): Promise<number[]> {
    const taken = this.queue.then(async () => {
      const out: number[] = [];
      while (out.length < count) {
        if (this.next >= this.end) await this.claim();
        const n = Math.min(count - out.length, this.end - this.next);
        for (let i = 0; i < n; i += 1) out.push(this.next + i);
        this.next += n;
      }
      return out;
    });
    this.queue = taken.catch(() => undefined);
    return taken;
  }

  private async claim(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      if (this.last === null || attempt > 0) {
        const top = await SearchBlockModel.findOne().sort({ _id: -1 }).lean<{ _id: number }>();
        this.last = Math.max(this.last ?? -1, top?._id ?? -1);
      }
      const block = this.last + 1;
      try {
        await SearchBlockModel.create({ _id: block });
      } catch (err) {
        if (!isDuplicateKey(err) || attempt > 20) throw err;
        this.last = block;
        continue;
      }
      this.last = block;
      this.next = block * BLOCK;
      this.end = this.next + BLOCK;
      return;
    }
  }
}
