import mongoose from 'mongoose';
import { CommentModel } from '../../../models/comment';
import { SearchSegmentModel } from '../../../models/search';
import { facet, facetState } from '../../../server/services/search/facets';
import { SearchIndex, type CommentSource } from '../../../server/services/search/search-index';
import { FULL_TIER } from '../../../server/services/search/postings';
import { SearchService } from '../../../server/services/search/search-service';
import { FULL } from '../../../server/services/search/segments';
import { buildPost, rootComment } from '../../fixtures/factories';

/**
 * A thread, a tag and an author are lists of their own in the index (filter terms), intersected
 * with the words' lists: a filtered search is exact however many documents have the words, where
 * checking the best-ranked documents one by one stops after a few thousand.
 */
describe('search filters as terms', () => {
  jest.setTimeout(120000);
  const index = new SearchIndex();
  const search = new SearchService();
  let big: Awaited<ReturnType<typeof buildPost>>;
  let tagged: Awaited<ReturnType<typeof buildPost>>;

  beforeAll(async () => {
    big = await buildPost({ tags: ['meetings'] });
    tagged = await buildPost({ tags: ['Remote Work'] });
    // 2,600 comments on one post in January say "credit" three times in a short body (they rank
    // high); three by Zed Quill in February say it once in a long one, and so do four in March on
    // another post with its own tag: more than 2,000 documents rank above each of those seven.
    const comments = [
      ...Array.from({ length: 2600 }, (_, i) =>
        rootComment(big, {
          number: i + 1,
          authorName: `Reader ${i % 40}`,
          bodyHtml: '<p>credit credit credit</p>',
          status: 'visible',
          createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60000),
        }),
      ),
      ...[1, 2, 3].map((n) =>
        rootComment(big, {
          number: 2600 + n,
          authorName: 'Zed Quill',
          bodyHtml: `<p>credit ${'long words '.repeat(30 + n)}</p>`,
          status: 'visible',
          createdAt: new Date(Date.UTC(2026, 1, n)),
        }),
      ),
      ...[1, 2, 3, 4].map((n) =>
        rootComment(tagged, {
          number: n,
          authorName: `Remote ${n}`,
          bodyHtml: `<p>credit ${'more words '.repeat(30 + n)}</p>`,
          status: 'visible',
          createdAt: new Date(Date.UTC(2026, 2, n)),
        }),
      ),
    ];
    await CommentModel.insertMany(comments);
    for (let i = 0; i < comments.length; i += 1000) {
      const part = comments.slice(i, i + 1000) as unknown as CommentSource[];
      await index.writeComments(part, await index.postFacts(part), true);
    }
  });

  it('trusts a new index to have filter terms', async () => {
    expect(await facetState.complete()).toBe(true);
    expect(await facetState.check()).toBe(true);
  });

  it('finds every comment by an author, however far down the word ranks them', async () => {
    const found = await search.search({ q: 'credit', author: 'zed quill' });
    expect(found.results.map((r) => r.author)).toEqual(['Zed Quill', 'Zed Quill', 'Zed Quill']);
    expect(found.approximate).toBe(false);
    expect(found.hasNext).toBe(false);
  });

  it('finds every comment in a tag, whatever case the tag is typed in', async () => {
    const found = await search.search({ q: 'credit', tag: 'remote work', type: 'comments' });
    expect(found.results.map((r) => r.author).sort()).toEqual([
      'Remote 1',
      'Remote 2',
      'Remote 3',
      'Remote 4',
    ]);
    expect(found.approximate).toBe(false);
  });

  it('finds every comment in a few months, however far down the word ranks them', async () => {
    const found = await search.search({
      q: 'credit',
      from: new Date('2026-02-01T00:00:00Z'),
      to: new Date('2026-03-02T23:59:59.999Z'),
    });
    // The range ends in March: its first two days, not the rest of the month (the documents say).
    expect(found.results.map((r) => r.author).sort()).toEqual([
      'Remote 1',
      'Remote 2',
      'Zed Quill',
      'Zed Quill',
      'Zed Quill',
    ]);
    expect(found.approximate).toBe(false);
  });

  it('searches within a thread of thousands from the thread’s own list', async () => {
    // (Not by reading the thread's index documents, the way before filter terms.)
    const byDocuments = jest.spyOn(
      SearchService.prototype as unknown as { inThread: () => unknown },
      'inThread',
    );
    const first = await search.search({ q: 'credit', postId: tagged._id });
    expect(first.results).toHaveLength(4);
    const pages = await Promise.all(
      [1, 2].map((page) => search.search({ q: 'credit', postId: big._id, page })),
    );
    expect(pages.every((p) => p.results.length === 20 && p.hasNext)).toBe(true);
    expect(new Set(pages.flatMap((p) => p.results.map((r) => r.title)))).toEqual(new Set([big.title]));
    expect(byDocuments).not.toHaveBeenCalled();
    byDocuments.mockRestore();
  });

  it('checks a filter on documents when its list is longer than a list is read', async () => {
    // 16,500 comments by Anonymous (as an import names those without a name): two full rows of the
    // author's list and a small one. The oldest says "sabbatical"; a search that reads one full row
    // of a list has only the newest of the author's documents in it.
    const many = Array.from({ length: 16500 }, (_, i) =>
      rootComment(tagged, {
        number: 100 + i,
        authorName: 'Anonymous',
        bodyHtml: i === 0 ? '<p>A sabbatical, then.</p>' : '<p>Filler.</p>',
        status: 'visible',
        createdAt: new Date(Date.UTC(2026, 3, 1) + i * 1000),
      }),
    );
    await CommentModel.insertMany(many, { lean: true });
    const part = many as unknown as CommentSource[];
    await index.writeComments(part, await index.postFacts(part), true);
    expect(await SearchSegmentModel.countDocuments({ t: facet.author('Anonymous'), z: FULL_TIER })).toBe(2);
    const small = new SearchService(undefined, undefined, FULL);
    const found = await small.search({ q: 'sabbatical', author: 'anonymous' });
    expect(found.results.map((r) => r.snippet)).toEqual(['A <mark>sabbatical</mark>, then.']);
    expect(found.approximate).toBe(false);
  });

  it('answers at once when nobody of that name wrote anything', async () => {
    const found = await search.search({ q: 'credit', author: 'Nobody Here' });
    expect(found.results).toEqual([]);
    expect(found.laps.map((l) => l.name)).toEqual(['lists']);
  });

  it('filters by reading documents when the index was written before it had filter terms', async () => {
    const legacy = new SearchService();
    await SearchSegmentModel.deleteMany({ t: mongoose.trusted({ $regex: '^(post|au|tag|m):' }) });
    // The boot migration looks at one document and marks the index as without them.
    expect(await facetState.check()).toBe(false);
    expect(await facetState.complete()).toBe(false);
    // Still found (one by one, from the best-ranked), though not past the first 2,000.
    const tag = await legacy.search({ q: 'credit', tag: 'meetings', type: 'comments' });
    expect(tag.results).toHaveLength(20);
    for (const filter of [
      { author: 'Zed Quill' },
      { from: new Date('2026-02-01T00:00:00Z'), to: new Date('2026-02-28T00:00:00Z') },
    ]) {
      const zed = await legacy.search({ q: 'credit', ...filter });
      expect(zed.results).toEqual([]);
      expect(zed.approximate).toBe(true);
    }
    // Another process indexing meanwhile cannot make it look complete: only a rebuild does.
    await index.writeComments(
      [
        rootComment(big, {
          authorName: 'Late',
          bodyHtml: '<p>credit</p>',
          status: 'visible',
          createdAt: new Date(),
        }),
      ] as unknown as CommentSource[],
      await index.postFacts([{ post: big._id }]),
      true,
    );
    expect(await facetState.check()).toBe(false);
    expect(await facetState.complete()).toBe(false);
    // A rebuild gives every document its terms again.
    await index.rebuild();
    expect(await facetState.complete()).toBe(true);
    const rebuilt = new SearchService();
    expect((await rebuilt.search({ q: 'credit', author: 'Zed Quill' })).results).toHaveLength(3);
  });
});
