import { RecentMap } from '../../../server/lib/recent-map';

describe('RecentMap', () => {
  it('keeps at most its bound, dropping the key set longest ago; setting again makes a key the newest', () => {
    const map = new RecentMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3);
    map.set('c', 4);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([3, undefined, 4]);
  });

  it('remembers what `make` gave, null included, and makes it once', () => {
    const map = new RecentMap<string, string | null>(10);
    const make = jest.fn(() => null);
    expect(map.remember('forged', make)).toBeNull();
    expect(map.remember('forged', make)).toBeNull();
    expect(make).toHaveBeenCalledTimes(1);
  });

  it('forgets a key on delete, counts what it holds, and empties on clear; a bound of 0 keeps nothing', () => {
    const map = new RecentMap<string, number>(3);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.delete('a')).toBe(true);
    expect([map.get('a'), map.size]).toEqual([undefined, 1]);
    map.clear();
    expect(map.size).toBe(0);
    const none = new RecentMap<string, number>(0);
    none.set('a', 1);
    expect([none.get('a'), none.size]).toEqual([undefined, 0]);
  });
});
