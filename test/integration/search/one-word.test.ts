import { CommentModel } from '../../../models/comment';
import { SearchSegmentModel } from '../../../models/search';
import { SearchIndex, type CommentSource } from '../../../server/services/search/search-index';
import { SearchService } from '../../../server/services/search/search-service';
import { BODY_FROM, Segments, TOP } from '../../../server/services/search/segments';
import { buildPost, rootComment } from '../../fixtures/factories';

/**
 * A one-word search ranks from the best postings each big row keeps in its header, reading a row
 * only when the page reaches into what the row did not keep. It must find exactly what ranking the
 * word's whole list finds, on every page, for every kind of result.
 */
describe('a one-word search from rows’ kept best', () => {
  jest.setTimeout(120000);

  it('finds what the whole list finds, page after page, and reads rows only when it must', async () => {
    const post = await buildPost();
    const index = new SearchIndex();
    // 3,000 comments saying "credit" once to four times in bodies of different lengths (so with
    // different weights, many of them equal), every seventh removed: five batches, five big rows.
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let batch = 0; batch < 5; batch += 1) {
      const comments = Array.from({ length: 600 }, (_, i) => {
        const n = batch * 600 + i;
        // Two batches all alike (their postings tie, across rows too): a page past a row's kept best
        // must read it.
        const body =
          batch === 1 || batch === 2
            ? 'credit credit credit'
            : `${'credit '.repeat(1 + Math.floor(random() * 4))}${'words '.repeat(Math.floor(random() * 40))}`;
        return rootComment(post, {
          number: n + 1,
          authorName: `Reader ${n % 50}`,
          bodySource: body,
          bodyHtml: `<p>${body}</p>`,
          status: n % 7 === 3 ? 'removed' : 'visible',
          createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60000),
        });
      });
      await CommentModel.insertMany(comments);
      await index.writeComments(
        comments as unknown as CommentSource[],
        await index.postFacts(comments),
        true,
      );
    }
    const rows = await SearchSegmentModel.find({ t: 'credit' }).lean();
    expect(rows.filter((r) => r.n >= BODY_FROM && r.top && (r.ns ?? 0) > TOP).length).toBeGreaterThanOrEqual(
      2,
    );

    const search = new SearchService();
    const whole = jest.spyOn(Segments.prototype, 'whole');
    const read = new Set<boolean>();
    for (const type of ['all', 'comments', 'posts'] as const) {
      for (let page = 1; page <= 13; page += 1) {
        const fromTops = await search.search({ q: 'credit', type, page });
        const all = await search.search({ q: 'credit', type, page }, 0);
        expect(fromTops.results.map((r) => r.id)).toEqual(all.results.map((r) => r.id));
        expect(fromTops.results.map((r) => r.score)).toEqual(all.results.map((r) => r.score));
        expect(fromTops.hasNext).toBe(all.hasNext);
        expect(fromTops.results.every((r) => !r.status)).toBe(true);
        if (type === 'comments') read.add(fromTops.laps.some((l) => l.name === 'rows'));
      }
    }
    // The first pages came from the headers alone; later ones read rows: at first only the rows
    // whose postings all tie (the others' unkept rank below the page), past every kept best all.
    expect([...read].sort()).toEqual([false, true]);
    const counts = whole.mock.calls.map(([rows]) => rows.length);
    expect(Math.min(...counts)).toBeLessThan(Math.max(...counts));
  });
});
