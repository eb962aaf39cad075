import { RateLimiter } from '../../../server/lib/rate-limiter';
import { SharedRateLimiter } from '../../../server/lib/shared-limiter';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('allows `limit` hits in the window, then limits', () => {
    const c = clock();
    const limiter = new RateLimiter(3, 1000, c.now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.isLimited('a')).toBe(false);
      limiter.hit('a');
      c.advance(10);
    }
    expect(limiter.isLimited('a')).toBe(true);
    expect(limiter.count('a')).toBe(3);
  });

  it('starts empty: nothing counted, nothing to wait for', () => {
    const limiter = new RateLimiter(1, 1000, clock().now);
    expect(limiter.count('new')).toBe(0);
    expect(limiter.isLimited('new')).toBe(false);
    expect(limiter.retryAfterMs('new')).toBe(0);
  });

  it('slides the window: each hit leaves exactly windowMs after it was made', () => {
    const c = clock();
    const limiter = new RateLimiter(2, 1000, c.now);
    limiter.hit('a'); // t = 0
    c.advance(400);
    limiter.hit('a'); // t = 400
    expect(limiter.isLimited('a')).toBe(true);

    c.advance(599); // t = 999: the first hit is still inside the window
    expect(limiter.count('a')).toBe(2);
    expect(limiter.isLimited('a')).toBe(true);

    c.advance(1); // t = 1000: the first hit has left
    expect(limiter.count('a')).toBe(1);
    expect(limiter.isLimited('a')).toBe(false);

    c.advance(400); // t = 1400: the second has left too
    expect(limiter.count('a')).toBe(0);
  });

  it('retryAfterMs is the time until the oldest counted hit leaves the window', () => {
    const c = clock();
    const limiter = new RateLimiter(2, 1000, c.now);
    limiter.hit('a'); // t = 0
    expect(limiter.retryAfterMs('a')).toBe(0); // under the limit
    c.advance(300);
    limiter.hit('a'); // t = 300
    expect(limiter.retryAfterMs('a')).toBe(700);
    c.advance(200);
    expect(limiter.retryAfterMs('a')).toBe(500);
    c.advance(500);
    expect(limiter.retryAfterMs('a')).toBe(0);
    expect(limiter.isLimited('a')).toBe(false);
  });

  it('retryAfterMs over the limit waits for enough hits to leave (not just the oldest)', () => {
    const c = clock();
    const limiter = new RateLimiter(2, 1000, c.now);
    // Four hits via hit() (which never refuses): at 0, 100, 200, 300.
    for (let i = 0; i < 4; i++) {
      limiter.hit('a');
      c.advance(100);
    }
    // t = 400: to get under 2, the hits at 0, 100 and 200 must leave; the one at 200 leaves at 1200.
    expect(limiter.retryAfterMs('a')).toBe(800);
  });

  it('retryAfterMs is always positive while limited', () => {
    const c = clock();
    const limiter = new RateLimiter(1, 1000, c.now);
    limiter.hit('a');
    for (let step = 0; step < 1000; step += 111) {
      expect(limiter.isLimited('a')).toBe(true);
      expect(limiter.retryAfterMs('a')).toBeGreaterThan(0);
      c.advance(111);
    }
  });

  it('take() counts and passes while under the limit, refuses without counting once over', () => {
    const c = clock();
    const limiter = new RateLimiter(2, 1000, c.now);
    expect(limiter.take('a').waitMs).toBe(0);
    c.advance(100);
    expect(limiter.take('a').waitMs).toBe(0);
    expect(limiter.count('a')).toBe(2);

    c.advance(100);
    const refused = limiter.take('a');
    expect(refused.waitMs).toBe(800);
    expect(limiter.count('a')).toBe(2); // a refusal is not counted

    refused.undo(); // undoing a refusal gives nothing back
    expect(limiter.count('a')).toBe(2);

    c.advance(800);
    expect(limiter.take('a').waitMs).toBe(0);
  });

  it('undo() takes back the hit its take() counted', () => {
    const c = clock();
    const limiter = new RateLimiter(1, 1000, c.now);
    const first = limiter.take('a');
    expect(first.waitMs).toBe(0);
    expect(limiter.isLimited('a')).toBe(true);
    first.undo();
    expect(limiter.count('a')).toBe(0);
    expect(limiter.take('a').waitMs).toBe(0);
  });

  it('undo() removes its own hit, leaving the others in place', () => {
    const c = clock();
    const limiter = new RateLimiter(3, 1000, c.now);
    limiter.take('a'); // t = 0
    c.advance(100);
    const middle = limiter.take('a'); // t = 100
    c.advance(100);
    limiter.take('a'); // t = 200
    middle.undo();
    expect(limiter.count('a')).toBe(2);
    // The remaining hits are at 0 and 200: at t = 1000 only the one at 200 is left.
    c.advance(800);
    expect(limiter.count('a')).toBe(1);
  });

  it('undo() after the hit has left the window, or after reset, is harmless', () => {
    const c = clock();
    const limiter = new RateLimiter(2, 1000, c.now);
    const old = limiter.take('a');
    c.advance(1500);
    limiter.take('a');
    old.undo();
    expect(limiter.count('a')).toBe(1);

    const again = limiter.take('b');
    limiter.reset('b');
    expect(() => again.undo()).not.toThrow();
    expect(limiter.count('b')).toBe(0);
  });

  it('reset() forgets a key at once', () => {
    const c = clock();
    const limiter = new RateLimiter(1, 60_000, c.now);
    limiter.hit('a');
    expect(limiter.isLimited('a')).toBe(true);
    limiter.reset('a');
    expect(limiter.isLimited('a')).toBe(false);
    expect(limiter.count('a')).toBe(0);
    expect(limiter.retryAfterMs('a')).toBe(0);
  });

  it('keeps keys independent', () => {
    const c = clock();
    const limiter = new RateLimiter(1, 1000, c.now);
    limiter.hit('a');
    expect(limiter.isLimited('a')).toBe(true);
    expect(limiter.isLimited('b')).toBe(false);
    expect(limiter.take('b').waitMs).toBe(0);
    expect(limiter.take('b').waitMs).toBeGreaterThan(0);
    limiter.reset('a');
    expect(limiter.isLimited('a')).toBe(false);
    expect(limiter.isLimited('b')).toBe(true);
  });

  it('uses Date.now when no clock is given', () => {
    const limiter = new RateLimiter(1, 60_000);
    limiter.hit('a');
    expect(limiter.isLimited('a')).toBe(true);
    const wait = limiter.retryAfterMs('a');
    expect(wait).toBeGreaterThan(59_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });
});

describe('SharedRateLimiter without Redis (this process only)', () => {
  it('take() is atomic: of N concurrent takes exactly `limit` pass', async () => {
    const c = clock();
    const limiter = new SharedRateLimiter('test', 3, 1000, c.now, undefined);
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.take('k')));
    const passed = results.filter((r) => r.waitMs === 0);
    expect(passed).toHaveLength(3);
    for (const refused of results.filter((r) => r.waitMs > 0)) expect(refused.waitMs).toBe(1000);
    expect(await limiter.count('k')).toBe(3);
  });

  it('undo() gives exactly one turn back', async () => {
    const c = clock();
    const limiter = new SharedRateLimiter('test', 2, 1000, c.now, undefined);
    const first = await limiter.take('k');
    await limiter.take('k');
    expect((await limiter.take('k')).waitMs).toBeGreaterThan(0);

    await first.undo();
    expect(await limiter.count('k')).toBe(1);
    const results = await Promise.all([limiter.take('k'), limiter.take('k'), limiter.take('k')]);
    expect(results.filter((r) => r.waitMs === 0)).toHaveLength(1);
  });

  it('undo() of a refused take gives nothing back', async () => {
    const c = clock();
    const limiter = new SharedRateLimiter('test', 1, 1000, c.now, undefined);
    await limiter.take('k');
    const refused = await limiter.take('k');
    expect(refused.waitMs).toBeGreaterThan(0);
    await refused.undo();
    expect(await limiter.count('k')).toBe(1);
  });

  it('slides the window and reports retryAfterMs from the local count', async () => {
    const c = clock();
    const limiter = new SharedRateLimiter('test', 1, 1000, c.now, undefined);
    await limiter.hit('k');
    c.advance(250);
    expect(await limiter.retryAfterMs('k')).toBe(750);
    c.advance(750);
    expect(await limiter.retryAfterMs('k')).toBe(0);
    expect((await limiter.take('k')).waitMs).toBe(0);
  });

  it('reset() clears a key and leaves others alone', async () => {
    const c = clock();
    const limiter = new SharedRateLimiter('test', 1, 1000, c.now, undefined);
    await limiter.take('a');
    await limiter.take('b');
    await limiter.reset('a');
    expect(await limiter.count('a')).toBe(0);
    expect(await limiter.count('b')).toBe(1);
    expect((await limiter.take('a')).waitMs).toBe(0);
    expect((await limiter.take('b')).waitMs).toBeGreaterThan(0);
  });

  it('falls back to local counting when the Redis client is not ready', async () => {
    const c = clock();
    // A client that is not connected: never called, since isReady is false.
    const notReady = { isReady: false } as unknown as ConstructorParameters<typeof SharedRateLimiter>[4];
    const limiter = new SharedRateLimiter('test', 2, 1000, c.now, notReady);
    const results = await Promise.all([limiter.take('k'), limiter.take('k'), limiter.take('k')]);
    expect(results.map((r) => r.waitMs === 0)).toEqual([true, true, false]);
  });
});
