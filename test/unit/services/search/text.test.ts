import { hasPhrase, parseQuery, plainText, snippet, stems } from '../../../../server/services/search/text';
import {
  CHUNK,
  chunksOf,
  quantize,
  termWeight,
  unpackPostings,
} from '../../../../server/services/search/search-index';
import { Types } from 'mongoose';

describe('search text', () => {
  it('stems English words and drops stop words', () => {
    expect(stems('The managers were managing their manager')).toEqual(['manag', 'manag', 'manag']);
    expect(stems('Texts at night!')).toEqual(['text', 'night']);
  });

  it('reads words, "phrases" and -exclusions from a query', () => {
    expect(parseQuery('credit "took the credit" -manager')).toEqual({
      include: ['credit', 'took'],
      exclude: ['manag'],
      phrases: [['took', 'the', 'credit']],
      highlight: ['credit', 'took', 'the'],
    });
    expect(parseQuery('-"open plan" office').exclude).toEqual(['open', 'plan']);
    expect(parseQuery('the of and').include).toEqual([]);
  });

  it('finds a phrase only in order', () => {
    expect(hasPhrase('He took the credit, again.', ['took', 'the', 'credit'])).toBe(true);
    expect(hasPhrase('The credit he took.', ['took', 'the', 'credit'])).toBe(false);
  });

  it('shows readers’ text from sanitised HTML, entities decoded', () => {
    expect(plainText('<p>5 &lt; 6 &amp; <em>so</em></p><p>next</p>')).toBe('5 < 6 & so next');
  });

  it('cuts a snippet around the first match, escaped, with matches marked by stem', () => {
    const text = `${'Filler words here. '.repeat(20)}Our managers <b>never</b> noticed the manager's habit.`;
    const html = snippet(text, { include: ['manag'], highlight: ['manager'] });
    expect(html.startsWith('… ')).toBe(true);
    expect(html).toContain('<mark>managers</mark> &lt;b&gt;never&lt;/b&gt;');
    expect(html).not.toContain('<b>');
  });

  it('writes a stem’s postings in chunks, heaviest first, whose _ids sort by their best weight', () => {
    const docs = Array.from({ length: 150 }, () => new Types.ObjectId());
    const chunks = chunksOf(
      docs.map((d, i) => ({
        t: 'credit',
        d,
        w: quantize(termWeight(1 + (i % 5), 30 + i, 'c')),
        comment: true,
        shown: i % 2 === 0,
      })),
    );
    const unpacked = chunks.map((c) => unpackPostings(c.p));
    expect(unpacked.map((c) => c.length)).toEqual([CHUNK, CHUNK, 150 - 2 * CHUNK]);
    expect(
      unpacked
        .flat()
        .map((p) => p.d.toHexString())
        .sort(),
    ).toEqual(docs.map((d) => d.toHexString()).sort());
    const all = unpacked.flat().map((p) => p.w);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    const ids = chunks.map((c) => c._id.toHexString());
    expect(ids).toEqual([...ids].sort());
    expect(termWeight(5, 30, 'c')).toBeGreaterThan(termWeight(1, 300, 'c'));
  });
});
