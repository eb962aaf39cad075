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
});
