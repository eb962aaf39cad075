import { Types } from 'mongoose';
import { MAX_MONTHS, facet, facetsOf, monthsOf } from '../../../../server/services/search/facets';
import { words } from '../../../../server/services/search/text';

describe('search filter terms', () => {
  const post = new Types.ObjectId();

  it('gives a document a term for its post, author, each tag and its month', () => {
    expect(
      facetsOf({
        post,
        tags: ['Remote Work', 'remote work', 'bosses'],
        au: 'zed quill',
        at: new Date('2026-02-03T01:00:00Z'),
      }),
    ).toEqual([`post:${post.toHexString()}`, 'tag:remote work', 'tag:bosses', 'au:zed quill', 'm:2026-02']);
    // No author, no date: no terms for them.
    expect(facetsOf({ post, tags: [], au: '', at: null as unknown as Date })).toEqual([facet.post(post)]);
  });

  it('makes terms no word of a query can be', () => {
    for (const term of [facet.post(post), facet.tag('x'), facet.author('Zed'), facet.month(new Date())]) {
      expect(words(term)).not.toContain(term);
    }
    expect(facet.author('  Zed QUILL ')).toBe('au:zed quill');
  });

  it('turns a date range into its months, up to MAX_MONTHS', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    expect(monthsOf(new Date('2026-01-31T00:00:00Z'), new Date('2026-03-01T23:59:59Z'), now)).toEqual([
      'm:2026-01',
      'm:2026-02',
      'm:2026-03',
    ]);
    // From a date on: through next month (a clock a little ahead).
    expect(monthsOf(new Date('2026-10-02T00:00:00Z'), undefined, now)).toEqual([
      'm:2026-10',
      'm:2026-11',
      'm:2026-12',
    ]);
    expect(monthsOf(new Date('2026-03-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'), now)).toEqual([]);
    // No start, or too long: checked on documents instead.
    expect(monthsOf(undefined, new Date('2026-02-01T00:00:00Z'), now)).toBeNull();
    expect(monthsOf(new Date('2020-01-01T00:00:00Z'), undefined, now)).toBeNull();
    expect(monthsOf(new Date('2024-01-01T00:00:00Z'), new Date('2025-12-31T00:00:00Z'), now)).toHaveLength(
      MAX_MONTHS,
    );
  });
});
