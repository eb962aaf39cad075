import mongoose, { Types, type Model } from 'mongoose';
import { AuditEntryModel } from '../../../models/audit-entry';
import { BanModel } from '../../../models/ban';
import { CommentModel } from '../../../models/comment';
import { LetterModel } from '../../../models/letter';
import { LikeModel } from '../../../models/like';
import { MigrationModel } from '../../../models/migration';
import { PostListingModel } from '../../../models/post-listing';
import { PostModel } from '../../../models/post';
import { ReportModel } from '../../../models/report';
import { SessionModel } from '../../../models/session';
import { UserModel } from '../../../models/user';
import {
  SearchBodyModel,
  SearchDocModel,
  SearchPrefixModel,
  SearchSegmentModel,
} from '../../../models/search';
import { FULL, MERGE_AT, READ_BUDGET, Segments } from '../../../server/services/search/segments';
import { buildComment, buildPost } from '../../fixtures/factories';

const id = () => new Types.ObjectId();
const trusted = <T>(operator: T): T => mongoose.trusted(operator) as T;

/**
 * Every query shape the app issues on a hot path, as the services write it. On the embedded
 * database each must be answered from an index (the patched FerretDB pushes the filter down to
 * SQLite; `explain` shows SQLite's plan), as it would be on MongoDB.
 */
/** What the test needs of a model: explain a find. */
type Explainable = { find(filter: Record<string, unknown>): { explain(): Promise<unknown> } };

const HOT_QUERIES: [string, Explainable, Record<string, unknown>][] = [
  ['a thread', CommentModel, { post: id() }],
  ['a comment by id', CommentModel, { _id: id() }],
  ['comments by ids', CommentModel, { _id: trusted({ $in: [id(), id()] }) }],
  ['the number claim', CommentModel, { post: id(), number: 7 }],
  ['the pending queue', CommentModel, { status: 'pending' }],
  ['the removed queue of one post', CommentModel, { status: 'removed', post: id() }],
  ['a profile', CommentModel, { authorUser: id(), status: 'visible' }],
  ['a guest’s first comment', CommentModel, { authorEmail: 'a@example.com', status: 'visible' }],
  ['a comment’s likes (its count)', LikeModel, { comment: id() }],
  ['a guest address’s likes of a comment', LikeModel, { comment: id(), ipHash: 'a1b2c3' }],
  ['a reader’s likes on a post', LikeModel, { post: id(), voter: 'u:1' }],
  ['one like', LikeModel, { _id: 'x:u:1' }],
  ['a post page', PostModel, { slug: 'some-post' }],
  ['a post by id', PostModel, { _id: id() }],
  ['posts by ids', PostModel, { _id: trusted({ $in: [id(), id()] }) }],
  ['scheduled posts', PostModel, { status: 'scheduled' }],
  ['a columnist name', PostModel, { authorNameKey: 'marisolvance' }],
  ['the home page', PostListingModel, { tag: '' }],
  ['a tag page', PostListingModel, { tag: 'coworkers' }],
  ['a post’s listings', PostListingModel, { post: id() }],
  ['sign-in', UserModel, { usernameLower: 'nora' }],
  ['name protection', UserModel, { nameKey: 'nora' }],
  ['a user by id', UserModel, { _id: id() }],
  ['staff accounts', UserModel, { role: trusted({ $in: ['moderator', 'editor', 'admin'] }) }],
  ['accounts, a page newest first', UserModel, { _id: trusted({ $lt: id() }) }],
  ['a session', SessionModel, { _id: 'abc' }],
  ['a reader’s report', ReportModel, { comment: id(), reporterKey: 'user:1' }],
  ['open reports', ReportModel, { resolved: false }],
  ['reports on a comment', ReportModel, { comment: id(), resolved: false }],
  ['open reports on a queue page', ReportModel, { comment: trusted({ $in: [id(), id()] }), resolved: false }],
  ['a queue card’s writer by address', CommentModel, { ipHash: 'a1b2c3' }],
  ['a queue card’s writer by account', CommentModel, { authorUser: id() }],
  ['a queue card’s writer by email', CommentModel, { authorEmail: 'a@example.com' }],
  ['the letters inbox by status', LetterModel, { status: 'new' }],
  ['a letter by reference', LetterModel, { reference: 'Q-ABC123' }],
  ['sanctions', BanModel, { kind: 'email', value: 'a@example.com', lifted: false }],
  ['the audit log by action', AuditEntryModel, { action: 'comment.remove' }],
  ['the audit log by actor', AuditEntryModel, { actorName: 'Marisol' }],
  ['migrations', MigrationModel, { _id: 'x' }],
  ['a search word’s small rows', SearchSegmentModel, { t: 'manag', z: trusted({ $in: [0, 1, 2, 3, 4] }) }],
  ['a search word’s full rows', SearchSegmentModel, { t: 'manag', z: 99 }],
  ['search documents by ids', SearchDocModel, { _id: trusted({ $in: [id(), id()] }) }],
  ['search documents by ordinals', SearchDocModel, { o: trusted({ $in: [1, 2, 3] }) }],
  ['a post’s comments in the search index', SearchDocModel, { post: id(), k: 'c' }],
  ['title suggestions', SearchPrefixModel, { p: 'cowo' }],
  ['a post’s title prefixes', SearchPrefixModel, { d: id() }],
];

describe('queries on hot paths use an index on the embedded database', () => {
  beforeAll(async () => {
    await Promise.all(
      [
        CommentModel,
        PostModel,
        PostListingModel,
        UserModel,
        SessionModel,
        ReportModel,
        LetterModel,
        LikeModel,
        BanModel,
        AuditEntryModel,
        MigrationModel,
        SearchSegmentModel,
        SearchDocModel,
        SearchPrefixModel,
      ].map(async (m) => {
        const model = m as unknown as Model<unknown>;
        await model.createCollection();
        await model.init();
      }),
    );
  });

  it.each(HOT_QUERIES)('%s', async (_name, model, filter) => {
    const explained = (await model.find(filter).explain()) as unknown as {
      queryPlanner?: { Plan?: string[] };
    };
    const plan = explained.queryPlanner?.Plan ?? [];
    expect(plan.length).toBeGreaterThan(0);
    for (const line of plan) {
      // SQLite's words: SEARCH … USING INDEX (an index lookup); a bare SCAN reads the whole table.
      expect(line).toMatch(/USING (COVERING )?INDEX/);
    }
  });
});

describe('lists read newest first by _id with a limit (read in index order by the embedded database)', () => {
  it('return the same comments as sorting them all', async () => {
    const post = await buildPost();
    const statuses = ['visible', 'pending', 'visible', 'removed', 'pending'];
    for (let i = 0; i < 60; i += 1) await buildComment(post, { status: statuses[i % statuses.length] });
    const all = await CommentModel.find({ post: post._id }).lean();
    const newestFirst = (status: string) =>
      all
        .filter((c) => c.status === status)
        .map((c) => String(c._id))
        .sort()
        .reverse();

    for (const status of ['pending', 'removed', 'visible']) {
      const firstPage = await CommentModel.find({ status, post: post._id }).sort({ _id: -1 }).limit(5).lean();
      expect(firstPage.map((c) => String(c._id))).toEqual(newestFirst(status).slice(0, 5));
      // The next page, by key.
      const cursor = firstPage[firstPage.length - 1]._id;
      const next = await CommentModel.find({ status, post: post._id, _id: trusted({ $lt: cursor }) })
        .sort({ _id: -1 })
        .limit(5)
        .lean();
      expect(next.map((c) => String(c._id))).toEqual(newestFirst(status).slice(5, 10));
      // Oldest first, and with an offset, as the handler applies skip after the backend's rows.
      const oldest = await CommentModel.find({ status, post: post._id })
        .sort({ _id: 1 })
        .skip(3)
        .limit(4)
        .lean();
      expect(oldest.map((c) => String(c._id))).toEqual([...newestFirst(status)].reverse().slice(3, 7));
    }
  });
});

describe('a search word’s postings in segments', () => {
  it('stay a few rows however many batches wrote them, and read back as every posting', async () => {
    const segments = new Segments();
    const written = new Map<number, number>();
    // 200 indexing batches of a few documents each, as live comments arrive (from two processes,
    // whose ordinals come from different blocks).
    const other = new Segments();
    for (let batch = 0; batch < 200; batch += 1) {
      const postings = Array.from({ length: 3 }, (_, i) => ({
        ord: (batch % 2) * 100000 + batch * 3 + i,
        w: batch,
        flags: 3,
      }));
      for (const p of postings) written.set(p.ord, p.w);
      await (batch % 2 ? other : segments).write(new Map([['credit', postings]]));
    }
    const rows = await SearchSegmentModel.find({ t: 'credit' }).lean();
    expect(rows.length).toBeLessThan(4 * MERGE_AT);
    const { list, from } = await segments.read('credit');
    expect(from).toBe(0);
    expect([...list.ord]).toEqual([...written.keys()].sort((a, b) => a - b));
    expect([...list.ord].map((o, i) => [o, list.w[i]])).toEqual(
      [...list.ord].map((o) => [o, written.get(o)]),
    );
  });

  it('read a word in very many documents by its newest full rows, in index order', async () => {
    const segments = new Segments();
    const fullRows = READ_BUDGET / FULL + 2;
    const total = FULL * fullRows + 10;
    const postings = Array.from({ length: total }, (_, i) => ({ ord: i, w: 1, flags: 3 }));
    for (let i = 0; i < total; i += FULL)
      await segments.write(new Map([['work', postings.slice(i, i + FULL)]]));
    const full = await SearchSegmentModel.find({ t: 'work', z: 99 }).sort({ _id: -1 }).limit(2).lean();
    expect(full.map((r) => r.lo)).toEqual([FULL * (fullRows - 1), FULL * (fullRows - 2)]);
    // Full rows keep their postings apart, in a SearchBody of the same _id.
    expect(full.every((r) => r.p === undefined)).toBe(true);
    expect(await SearchBodyModel.countDocuments({ _id: trusted({ $in: full.map((r) => r._id) }) })).toBe(2);
    // The small row takes part of the budget: one full row fewer than the budget's worth is read.
    const read = READ_BUDGET / FULL - 1;
    const { list, from } = await segments.read('work');
    expect(from).toBe(FULL * (fullRows - read));
    expect(list.ord.length).toBe(total - from);
    // Another process, which has read none of them, reads the same.
    const elsewhere = await new Segments().read('work');
    expect([...elsewhere.list.ord]).toEqual([...list.ord]);
  });
});
