import { randomBytes } from 'node:crypto';
import type { createClient } from 'redis';
import { RateLimiter } from './rate-limiter.js';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * A sliding-window limit that several processes share through Redis (a
 * sorted set of hit times per key), or, without Redis, one process's memory.
 * Used where a limit must hold across processes: logins, comment pace, letters.
 */
export class SharedRateLimiter {
  private readonly local: RateLimiter;

  constructor(
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly redis?: RedisClient,
  ) {
    this.local = new RateLimiter(limit, windowMs, now);
  }

  private key(key: string): string {
    return `advice:limit:${this.name}:${key}`;
  }

  /** Milliseconds until the key may act again (0 when it may now). */
  async retryAfterMs(key: string): Promise<number> {
    if (!this.redis) return this.local.retryAfterMs(key);
    const k = this.key(key);
    const now = this.now();
    await this.redis.zRemRangeByScore(k, '-inf', now - this.windowMs);
    const count = await this.redis.zCard(k);
    if (count < this.limit) return 0;
    const [oldest] = await this.redis.zRangeWithScores(k, count - this.limit, count - this.limit);
    return Math.max(0, (oldest?.score ?? now) + this.windowMs - now);
  }

  async hit(key: string): Promise<void> {
    if (!this.redis) return this.local.hit(key);
    const k = this.key(key);
    const now = this.now();
    await this.redis
      .multi()
      .zAdd(k, { score: now, value: `${now}-${randomBytes(4).toString('hex')}` })
      .pExpire(k, this.windowMs)
      .exec();
  }

  async reset(key: string): Promise<void> {
    if (!this.redis) return this.local.reset(key);
    await this.redis.del(this.key(key));
  }
}

export type LimiterFactory = (name: string, limit: number, windowMs: number) => SharedRateLimiter;
