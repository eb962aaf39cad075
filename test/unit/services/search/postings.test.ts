import {
  COMMENT,
  FULL_TIER,
  SHOWN,
  TopK,
  bestShown,
  worstOf,
  decode,
  encode,
  fromPostings,
  intersect,
  merge,
  tierOf,
  type PostingList,
} from '../../../../server/services/search/postings';

const list = (ords: number[], w = 100, flags = COMMENT | SHOWN): PostingList =>
  fromPostings(ords.map((ord) => ({ ord, w, flags })));
const ordsOf = (l: PostingList) => [...l.ord];

describe('postings lists in document order', () => {
  it('pack to a few bytes a posting and unpack to the same postings, gaps large and small', () => {
    const postings = [0, 1, 2, 130, 16500, 2_000_000, 4_000_000_000].map((ord, i) => ({
      ord,
      w: (i * 97) % 256,
      flags: i % 4,
    }));
    const packed = encode(fromPostings(postings));
    const back = decode(packed, postings.length);
    expect(ordsOf(back)).toEqual(postings.map((p) => p.ord));
    expect([...back.w]).toEqual(postings.map((p) => p.w));
    expect([...back.flags]).toEqual(postings.map((p) => p.flags));
    // Dense lists: two bytes each.
    const dense = list(Array.from({ length: 1000 }, (_, i) => i * 5));
    expect(Buffer.from(encode(dense), 'base64').length).toBe(2000);
  });

  it('merge several lists into one, each ordinal once, joining lists that follow one another', () => {
    const merged = merge([list([5, 6, 7], 150), list([2, 5, 9], 200), list([1, 3, 20], 100)]);
    expect(ordsOf(merged)).toEqual([1, 2, 3, 5, 6, 7, 9, 20]);
    expect(merged.w[ordsOf(merged).indexOf(20)]).toBe(100);
    const apart = merge([list([10, 11], 7), list([1, 2], 8), list([30], 9)]);
    expect(ordsOf(apart)).toEqual([1, 2, 10, 11, 30]);
    expect([...apart.w]).toEqual([8, 8, 7, 7, 9]);
    // Two copies of a row (two processes merged the same rows at once) read as one.
    expect(ordsOf(merge([list([4, 8, 15]), list([4, 8, 15])]))).toEqual([4, 8, 15]);
  });

  it('intersect: the documents in every list and in none of the excluded, with their positions', () => {
    const manager = list([1, 4, 8, 15, 16, 23, 42, 99]);
    const credit = list([4, 15, 42, 50]);
    const fish = list([15]);
    const found = intersect([manager, credit], [fish]);
    expect([...found.ord.subarray(0, found.count)]).toEqual([4, 42]);
    expect(found.at.map((positions) => positions[1])).toEqual([6, 2]);
    expect(intersect([manager, list([])]).count).toBe(0);
  });

  it('keep the k best of many, best first, the later indexed first on equal scores', () => {
    const top = new TopK(3);
    const pairs = [
      [0.5, 1],
      [2, 2],
      [0.1, 3],
      [2, 4],
      [1, 5],
      [2, 0],
      [0.7, 6],
    ];
    for (const [score, ord] of pairs) top.add(score, ord);
    expect(top.best()).toEqual([
      { score: 2, ord: 4 },
      { score: 2, ord: 2 },
      { score: 2, ord: 0 },
    ]);
    const all = new TopK(10);
    for (const [score, ord] of pairs) all.add(score, ord);
    expect(all.best().map((b) => b.ord)).toEqual([4, 2, 0, 5, 6, 1, 3]);
  });

  it('class rows by size, eight of a class making one of the next', () => {
    expect([1, 7, 8, 63, 64, 511, 512, 4095, 4096, 32767].map((n) => tierOf(n, 32768))).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]);
    expect(tierOf(32768, 32768)).toBe(FULL_TIER);
  });

  it('keeps a row’s best postings readers may see, ties to the higher ordinal, and where they end', () => {
    const list = fromPostings([
      { ord: 1, w: 200, flags: SHOWN },
      { ord: 2, w: 250, flags: 0 }, // hidden: never kept
      { ord: 3, w: 100, flags: SHOWN | COMMENT },
      { ord: 4, w: 200, flags: SHOWN | COMMENT },
      { ord: 5, w: 50, flags: SHOWN },
    ]);
    const { top, shown } = bestShown(list, 2);
    expect(shown).toBe(4);
    expect([...top.ord]).toEqual([1, 4]);
    expect([...top.flags]).toEqual([SHOWN, SHOWN | COMMENT]);
    expect(worstOf(top)).toEqual({ w: 200, ord: 1 });
    expect([...bestShown(list, 3).top.ord]).toEqual([1, 3, 4]);
    expect(worstOf(bestShown(list, 3).top)).toEqual({ w: 100, ord: 3 });
  });
});
