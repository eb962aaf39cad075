import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { SharedRateLimiter } from '../../../server/lib/shared-limiter';
import '../../setup/app';

describe('limits shared through Redis (127.0.0.1:6379)', () => {
  const redis = createClient({ url: 'redis://127.0.0.1:6379' });
  const name = `test-${randomBytes(4).toString('hex')}`;
  let clock = 1_000_000;

  beforeAll(async () => {
    await redis.connect();
  });
  afterAll(async () => {
    for (const key of await redis.keys(`advice:limit:${name}*`)) await redis.del(key);
    await redis.quit();
  });

  it('counts hits from two processes’ limiters as one, and lets the key go when the window slides', async () => {
    // Two limiters with the same name stand for the same limit in two server processes.
    const a = new SharedRateLimiter(name, 3, 60000, () => clock, redis);
    const b = new SharedRateLimiter(name, 3, 60000, () => clock, redis);
    await a.hit('ip:1');
    clock += 1000;
    await b.hit('ip:1');
    expect(await a.retryAfterMs('ip:1')).toBe(0);
    clock += 1000;
    await a.hit('ip:1');
    expect(await b.retryAfterMs('ip:1')).toBe(58000);
    expect(await b.retryAfterMs('ip:2')).toBe(0);
    clock += 58001;
    expect(await a.retryAfterMs('ip:1')).toBe(0);
    await b.reset('ip:1');
    expect(await redis.exists(`advice:limit:${name}:ip:1`)).toBe(0);
  });
});
