import { Refreshed } from '../../../server/lib/refreshed';

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('Refreshed', () => {
  let time = 1000;
  const clock = () => time;

  it('answers the default at once, then what was read, and reads again once it is old', async () => {
    const values = [5, 7];
    const read = jest.fn(async () => values.shift() ?? null);
    const kept = new Refreshed(read, 0, 60000, clock);
    expect(kept.now()).toBe(0);
    await settled();
    expect(kept.now()).toBe(5);
    expect(read).toHaveBeenCalledTimes(1);
    time += 60001;
    kept.now();
    await settled();
    expect(kept.now()).toBe(7);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('waits for the first read once, however many ask at the same time', async () => {
    const read = jest.fn(async () => true);
    const kept = new Refreshed(read, false, 60000, clock);
    expect(await Promise.all([kept.fresh(), kept.fresh()])).toEqual([true, true]);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('keeps its value when a read fails, and tries again later', async () => {
    const read = jest.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce(3);
    const kept = new Refreshed<number>(read, 1, 60000, clock);
    expect(await kept.fresh()).toBe(1);
    expect(kept.now()).toBe(1);
    expect(read).toHaveBeenCalledTimes(1);
    time += 60001;
    kept.now();
    await settled();
    expect(kept.now()).toBe(3);
  });
});
