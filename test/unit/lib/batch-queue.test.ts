import { BatchQueue } from '../../../server/lib/batch-queue';
import { KeyedQueue } from '../../../server/lib/keyed-queue';

describe('BatchQueue', () => {
  it('starts the first item at once and gathers the ones that arrive meanwhile, per key, in order', async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const queue = new BatchQueue<string, string>(new KeyedQueue(), async (key, items) => {
      batches.push(items.map((i) => `${key}:${i}`));
      if (batches.length === 1) await gate;
      return items.map((i) => i.toUpperCase());
    });
    const first = queue.add('a', 'x');
    await Promise.resolve();
    const rest = ['y', 'z'].map((i) => queue.add('a', i));
    const other = queue.add('b', 'w');
    release();
    expect(await Promise.all([first, ...rest, other])).toEqual(['X', 'Y', 'Z', 'W']);
    expect(batches).toEqual([['a:x'], ['b:w'], ['a:y', 'a:z']]);
  });

  it('fails only the items of a failing batch', async () => {
    let calls = 0;
    const queue = new BatchQueue<number, number>(new KeyedQueue(), async (_key, items) => {
      calls += 1;
      if (calls === 1) throw new Error('the database went away');
      return items;
    });
    const failed = queue.add('k', 1);
    await expect(failed).rejects.toThrow('went away');
    await expect(queue.add('k', 2)).resolves.toBe(2);
  });
});
