import {
  hasPhrase,
  hasStems,
  parseQuery,
  plainText,
  snippet,
  stems,
} from '../../../../server/services/search/text';
import { quantize, termWeight } from '../../../../server/services/search/search-index';

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

  it('tells whether a text has every stem and none of the excluded ones, however long', () => {
    const long = `Managers ${'filler words going on '.repeat(200)}spreadsheets at the end`;
    expect(hasStems(long, ['manag'], [])).toBe(true);
    expect(hasStems(long, ['manag', 'spreadsheet'], [])).toBe(true);
    expect(hasStems(long, ['manag'], ['spreadsheet'])).toBe(false);
    expect(hasStems(long, ['manag', 'boss'], [])).toBe(false);
    // Cut into pieces at spaces only: no word is split in two.
    const words = Array.from({ length: 400 }, (_, i) => `word${i}x`).join(' ');
    expect(hasStems(`${words} deadline`, ['deadlin'], [])).toBe(true);
    expect(stems(words).every((stem) => hasStems(words, [stem], []))).toBe(true);
  });

  it('weighs a word more in a short document that says it often', () => {
    expect(termWeight(5, 30, 'c')).toBeGreaterThan(termWeight(1, 300, 'c'));
    expect(quantize(termWeight(5, 30, 'c'))).toBeGreaterThan(quantize(termWeight(1, 300, 'c')));
  });
});
