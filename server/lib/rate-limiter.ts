/**
 * Counts events per key in a sliding window. In memory: one process's view.
 * Several processes behind a load balancer each keep their own counts, so the
 * effective limit is per process (a Redis-backed store is the next step).
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list;
  }

  /** True when the key has used up its allowance in the current window. */
  isLimited(key: string): boolean {
    return this.recent(key).length >= this.limit;
  }

  /** Milliseconds until the key may try again (0 when it may now). */
  retryAfterMs(key: string): number {
    const list = this.recent(key);
    if (list.length < this.limit) return 0;
    return Math.max(0, list[list.length - this.limit] + this.windowMs - this.now());
  }

  hit(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.hits.set(key, list);
  }

  /** How many times the key acted in the current window. */
  count(key: string): number {
    return this.recent(key).length;
  }

  /**
   * Checks and counts in one step: 0 and the hit counted when the key may act now, else the
   * milliseconds to wait (nothing counted). `undo` takes the hit back (the action failed).
   */
  take(key: string): { waitMs: number; undo: () => void } {
    const wait = this.retryAfterMs(key);
    if (wait > 0) return { waitMs: wait, undo: () => undefined };
    const at = this.now();
    this.hit(key);
    return {
      waitMs: 0,
      undo: () => {
        const list = this.hits.get(key);
        const i = list?.lastIndexOf(at) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
      },
    };
  }

  reset(key: string): void {
    this.hits.delete(key);
  }
}
