import { randomBytes } from 'node:crypto';
import type { createClient } from 'redis';
import { RateLimiter } from './rate-limiter.js';

export type RedisClient = ReturnType<typeof createClient>;

/** A step of a limit, as another process that keeps the limits does it for this one. */
export type RemoteStep = 'retryAfterMs' | 'hit' | 'count' | 'take' | 'undo' | 'reset';

/**
 * Limits kept by another process for this one: the cluster's primary, for its workers (one
 * machine, no Redis). Each step is asked over IPC; `take` answers the wait and a token for `undo`.
 */
export interface RemoteLimits {
  step(
    step: RemoteStep,
    limit: { name: string; limit: number; windowMs: number },
    key: string,
    token?: string,
  ): Promise<{ waitMs?: number; count?: number; token?: string }>;
}

/**
 * KEYS[1] the sorted set; ARGV now, window, limit, member. Drops hits older than the window;
 * under the limit, adds this one and returns 0; else returns the milliseconds until the oldest
 * counted hit leaves the window.
 */
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1 then wait = 1 end
return wait
`;

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
    private readonly remote?: RemoteLimits,
  ) {
    this.local = new RateLimiter(limit, windowMs, now);
  }

  /** A step done by the process that keeps the limits, or undefined (no such process, or it failed). */
  private async viaRemote(
    step: RemoteStep,
    key: string,
    token?: string,
  ): Promise<{ waitMs?: number; count?: number; token?: string } | undefined> {
    if (!this.remote || this.redis) return undefined;
    try {
      return await this.remote.step(
        step,
        { name: this.name, limit: this.limit, windowMs: this.windowMs },
        key,
        token,
      );
    } catch {
      return undefined;
    }
  }

  private key(key: string): string {
    return `advice:limit:${this.name}:${key}`;
  }

  /** Milliseconds until the key may act again (0 when it may now). */
  async retryAfterMs(key: string): Promise<number> {
    const remote = await this.viaRemote('retryAfterMs', key);
    if (remote) return remote.waitMs ?? 0;
    return this.either(
      async (redis) => {
        const k = this.key(key);
        const now = this.now();
        await redis.zRemRangeByScore(k, '-inf', now - this.windowMs);
        const count = await redis.zCard(k);
        if (count < this.limit) return 0;
        const [oldest] = await redis.zRangeWithScores(k, count - this.limit, count - this.limit);
        return Math.max(0, (oldest?.score ?? now) + this.windowMs - now);
      },
      () => this.local.retryAfterMs(key),
    );
  }

  /**
   * Runs a Redis operation while Redis is there, and this process's own count when it is not (or
   * fails mid-call): a Redis outage makes limits per-process for a while, never stops requests.
   */
  private async either<T>(shared: (redis: RedisClient) => Promise<T>, local: () => T): Promise<T> {
    const redis = this.redis?.isReady ? this.redis : undefined;
    if (!redis) return local();
    try {
      return await shared(redis);
    } catch {
      return local();
    }
  }

  async hit(key: string): Promise<void> {
    this.local.hit(key);
    if (await this.viaRemote('hit', key)) return;
    await this.either(
      async (redis) => {
        const k = this.key(key);
        const now = this.now();
        await redis
          .multi()
          .zAdd(k, { score: now, value: `${now}-${randomBytes(4).toString('hex')}` })
          .pExpire(k, this.windowMs)
          .exec();
      },
      () => undefined,
    );
  }

  /** How many times the key acted in the current window. */
  async count(key: string): Promise<number> {
    const remote = await this.viaRemote('count', key);
    if (remote) return remote.count ?? 0;
    return this.either(
      async (redis) => {
        const k = this.key(key);
        await redis.zRemRangeByScore(k, '-inf', this.now() - this.windowMs);
        return redis.zCard(k);
      },
      () => this.local.count(key),
    );
  }

  /**
   * Checks and counts in one step, so two requests at once cannot both pass: with Redis, one
   * script run (atomic on the server). Returns 0 and counts the act when the key may act now,
   * else the milliseconds to wait; `undo` takes the act back when what it guarded failed.
   */
  async take(key: string): Promise<{ waitMs: number; undo: () => Promise<void> }> {
    const remote = await this.viaRemote('take', key);
    if (remote) {
      // Counted here too: if the primary stops answering, this process's own count is not empty.
      if (!remote.waitMs) this.local.take(key);
      const token = remote.token;
      return {
        waitMs: remote.waitMs ?? 0,
        undo: async () => {
          if (token) await this.viaRemote('undo', key, token);
        },
      };
    }
    return this.either(
      async (redis) => {
        const k = this.key(key);
        const now = this.now();
        const member = `${now}-${randomBytes(4).toString('hex')}`;
        const result = (await redis.eval(TAKE_SCRIPT, {
          keys: [k],
          arguments: [String(now), String(this.windowMs), String(this.limit), member],
        })) as number;
        if (result > 0) return { waitMs: result, undo: async () => undefined };
        return {
          waitMs: 0,
          undo: async () => {
            await redis.zRem(k, member).catch(() => undefined);
          },
        };
      },
      () => {
        const taken = this.local.take(key);
        return { waitMs: taken.waitMs, undo: async () => taken.undo() };
      },
    );
  }

  async reset(key: string): Promise<void> {
    this.local.reset(key);
    if (await this.viaRemote('reset', key)) return;
    await this.either(
      async (redis) => {
        await redis.del(this.key(key));
      },
      () => undefined,
    );
  }
}

export type LimiterFactory = (name: string, limit: number, windowMs: number) => SharedRateLimiter;
