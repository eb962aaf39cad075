import { createHash } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { findComments } from '../comments/comment-store.js';
import { PostModel, type Post } from '../../../models/post.js';
import {
  SearchBodyModel,
  SearchDocModel,
  SearchPrefixModel,
  SearchSegmentModel,
  type SearchDoc,
} from '../../../models/search.js';
import { docCount } from './doc-count.js';
import { facetState, facetsOf } from './facets.js';
import { Ordinals } from './ordinals.js';
import { COMMENT, SHOWN, type Posting } from './postings.js';
import { Segments } from './segments.js';
import { fold, plainText, termFrequencies, words } from './text.js';

const { trusted } = mongoose;

/** BM25's parameters, and the typical lengths (in weighted stems) its length normalisation uses. */
export const K1 = 1.2;
export const B = 0.75;
export const TYPICAL_LENGTH = { c: 30, p: 300 } as const;
const MAX_WEIGHT = K1 + 1;

/** A stem's BM25 weight in a document (without the IDF, which belongs to the query): 0 to K1+1. */
export function termWeight(tf: number, length: number, kind: 'c' | 'p'): number {
  return (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / TYPICAL_LENGTH[kind]));
}

/** A weight (0 to K1+1) as a whole number from 0 to 255, as postings keep it (one byte). */
export function quantize(weight: number): number {
  return Math.max(0, Math.min(255, Math.round((weight / MAX_WEIGHT) * 255)));
}

/** A digest of a document's stems and their weighted counts: whether an edit changed its words. */
export function wordsDigest(tf: Map<string, number>, facets: string[] = []): string {
  const hash = createHash('sha1');
  for (const [t, n] of tf) hash.update(`${t}=${n} `);
  for (const t of facets) hash.update(`${t} `);
  return hash.digest('base64').slice(0, 16);
}

/** A prefix row's _id: newest post first, then a hash of (prefix, post). */
function prefixId(prefix: string, post: Types.ObjectId, at: Date): Types.ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(0xffffffff - Math.max(0, Math.floor(at.getTime() / 1000)), 0);
  createHash('sha1').update(prefix).update('\0').update(post.toHexString()).digest().copy(bytes, 4, 0, 8);
  return new Types.ObjectId(bytes);
}

type CommentSource = Pick<Comment, 'post' | 'bodyHtml' | 'authorName' | 'status' | 'number' | 'createdAt'> & {
  _id: Types.ObjectId;
};
type PostSource = Pick<
  Post,
  | 'title'
  | 'slug'
  | 'tags'
  | 'letterHtml'
  | 'answerHtml'
  | 'authorName'
  | 'status'
  | 'publishedAt'
  | 'createdAt'
> & { _id: Types.ObjectId };
type PostFacts = { published: boolean; tags: string[] };

const COMMENT_FIELDS = 'post bodyHtml authorName status number createdAt';
const POST_FIELDS = 'title slug tags letterHtml answerHtml authorName status publishedAt createdAt';
const BATCH = 500;
/** Comments a rebuild indexes at a time: the bigger, the fewer rows its postings take. */
const REBUILD_BATCH = 10000;

interface Built {
  /** The document, but for its ordinal (given when it is written). */
  doc: Omit<SearchDoc, 'o'>;
  /** Its stems' weights, and its flags (the same in every posting). */
  postings: { t: string; w: number }[];
  flags: number;
}

function build(
  kind: 'c' | 'p',
  base: Omit<SearchDoc, 'k' | 'h' | 'len' | 'o'>,
  fields: { text: string; weight: number }[],
): Built {
  const { tf, length } = termFrequencies(fields);
  // Its filter terms count in the digest (a post's new tags give its comments new postings), not in
  // its length.
  const facets = facetsOf(base);
  const doc = { ...base, k: kind, h: wordsDigest(tf, facets), len: length };
  const comment = kind === 'c';
  const shown = comment ? base.st === 'visible' && base.pub : base.st === 'published';
  const postings = [...tf].map(([t, n]) => ({ t, w: quantize(termWeight(n, length, kind)) }));
  for (const t of facets) postings.push({ t, w: 0 });
  return { doc, postings, flags: (comment ? COMMENT : 0) | (shown ? SHOWN : 0) };
}

export function buildComment(comment: CommentSource, post: PostFacts): Built {
  return build(
    'c',
    {
      _id: comment._id,
      st: comment.status,
      post: comment.post,
      pub: post.published,
      tags: post.tags,
      au: fold(comment.authorName),
      at: comment.createdAt,
      n: comment.number,
    },
    [
      { text: plainText(comment.bodyHtml), weight: 1 },
      { text: comment.authorName, weight: 1 },
    ],
  );
}

export function buildPost(post: PostSource): Built {
  return build(
    'p',
    {
      _id: post._id,
      st: post.status,
      post: post._id,
      pub: post.status === 'published',
      tags: post.tags ?? [],
      au: fold(post.authorName),
      at: post.publishedAt ?? post.createdAt,
      n: 0,
    },
    [
      { text: post.title, weight: 3 },
      { text: (post.tags ?? []).join(' '), weight: 3 },
      { text: plainText(post.letterHtml ?? ''), weight: 1.5 },
      { text: plainText(post.answerHtml ?? ''), weight: 1 },
      { text: post.authorName, weight: 1 },
    ],
  );
}

/** What a document's postings depend on: its stems and length, and whether readers may see it. */
function shape(d: Pick<SearchDoc, 'h' | 'len' | 'k' | 'st' | 'pub'>): string {
  const shown = d.k === 'c' ? d.st === 'visible' && d.pub : d.st === 'published';
  return `${d.h}|${d.len}|${shown}`;
}

function onlyDuplicates(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (e.code === 11000 && !e.writeErrors) return true;
  return Boolean(e.writeErrors?.length) && e.writeErrors!.every((w) => (w.code ?? w.err?.code) === 11000);
}

/**
 * Keeps the search index in step with every write: services' events queue the post or comment,
 * and a batch (up to 500, at most 100 ms later) is read back from the database and written to the
 * index, off the request's path. Imports and `npm run reindex` write their batches directly.
 */
export class SearchIndex {
  private readonly queued = new Map<string, 'c' | 'p'>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private readonly failures = new Map<string, number>();
  private readonly ordinals = new Ordinals();
  /** Its own memory of postings is small: only merges read them back. */
  private readonly segments = new Segments(8 * 1024 * 1024);

  constructor(
    private readonly onError: (err: unknown) => void = () => undefined,
    /** How long a write waits to share its batch (fewer, fuller rows for the database to write). */
    private readonly delayMs = 500,
  ) {}

  /** Posts and comments waiting to be indexed. */
  get backlog(): number {
    return this.queued.size;
  }

  queue(id: Types.ObjectId | string, kind: 'c' | 'p'): void {
    this.queued.set(String(id), kind);
    if (this.queued.size === BATCH) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Writes what is queued; resolves when everything queued before the call is in the index. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // The batch is what is queued when the write before it is done: under load, batches grow
    // (fuller rows, fewer of them) instead of queueing up behind one another.
    let batch: [string, 'c' | 'p'][] = [];
    this.flushing = this.flushing
      .then(() => {
        batch = [...this.queued].slice(0, BATCH);
        for (const [id] of batch) this.queued.delete(id);
        return batch.length ? this.writeQueued(batch) : undefined;
      })
      .then(() => batch.forEach(([id]) => this.failures.delete(id)))
      .catch((err: unknown) => {
        this.onError(err);
        // Tried again with the next batch (three times at most), not lost.
        for (const [id, kind] of batch) {
          const failed = (this.failures.get(id) ?? 0) + 1;
          if (failed > 3) this.failures.delete(id);
          else {
            this.failures.set(id, failed);
            if (!this.queued.has(id)) this.queued.set(id, kind);
          }
        }
      })
      .then(() => {
        if (this.queued.size && !this.timer) {
          this.timer = setTimeout(() => void this.flush(), this.delayMs);
          this.timer.unref();
        }
      });
    return this.flushing;
  }

  private async writeQueued(batch: [string, 'c' | 'p'][]): Promise<void> {
    const postIds = batch.filter(([, k]) => k === 'p').map(([id]) => new Types.ObjectId(id));
    const commentIds = batch.filter(([, k]) => k === 'c').map(([id]) => new Types.ObjectId(id));
    if (postIds.length) {
      const posts = await PostModel.find({ _id: trusted({ $in: postIds }) })
        .select(POST_FIELDS)
        .lean<PostSource[]>();
      const was = new Map(
        (
          await SearchDocModel.find({ _id: trusted({ $in: postIds }) })
            .select('st')
            .lean<Pick<SearchDoc, '_id' | 'st'>[]>()
        ).map((d) => [String(d._id), d]),
      );
      await this.writePosts(posts, false);
      for (const post of posts) {
        const published = post.status === 'published';
        const before = was.get(String(post._id));
        // Published or taken back: its comments' postings say whether readers may see them, so
        // they are indexed again (with new ordinals and postings).
        if (!before || (before.st === 'published') !== published) {
          const ids = await findComments({ post: post._id }).select('_id').lean<{ _id: Types.ObjectId }[]>();
          for (const { _id } of ids) this.queue(_id, 'c');
          continue;
        }
        // Tagged anew: so are its comments' tag terms. Decided from the comments' own index
        // documents, so the next save after a lost batch (a restart, a failure) finds what is stale.
        const tags = (post.tags ?? []).join('\n');
        const stale = await SearchDocModel.find({ post: post._id, k: 'c' })
          .select('tags')
          .lean<Pick<SearchDoc, '_id' | 'tags'>[]>();
        for (const doc of stale) if (doc.tags.join('\n') !== tags) this.queue(doc._id, 'c');
      }
      const gone = postIds.filter((id) => !posts.some((p) => p._id.equals(id)));
      if (gone.length) await this.remove(gone);
    }
    if (commentIds.length) {
      const comments = await findComments({ _id: trusted({ $in: commentIds }) })
        .select(COMMENT_FIELDS)
        .lean<CommentSource[]>();
      await this.writeComments(comments, await this.postFacts(comments), false);
      const gone = commentIds.filter((id) => !comments.some((c) => c._id.equals(id)));
      if (gone.length) await this.remove(gone);
    }
  }

  /** Published and tags of the comments' posts. */
  async postFacts(comments: Pick<CommentSource, 'post'>[]): Promise<Map<string, PostFacts>> {
    const ids = [...new Set(comments.map((c) => String(c.post)))].map((id) => new Types.ObjectId(id));
    const facts = new Map<string, PostFacts>();
    for (let i = 0; i < ids.length; i += BATCH) {
      const posts = await PostModel.find({ _id: trusted({ $in: ids.slice(i, i + BATCH) }) })
        .select('status tags')
        .lean<Pick<Post, 'status' | 'tags'>[] & { _id: Types.ObjectId }[]>();
      for (const p of posts as (Pick<Post, 'status' | 'tags'> & { _id: Types.ObjectId })[]) {
        facts.set(String(p._id), { published: p.status === 'published', tags: p.tags ?? [] });
      }
    }
    return facts;
  }

  /**
   * Indexes comments (`fresh`: never indexed before, as in an import or a rebuild, so nothing old
   * is looked for). Comments whose post is unknown are skipped.
   */
  async writeComments(
    comments: CommentSource[],
    posts: Map<string, PostFacts>,
    fresh: boolean,
  ): Promise<number> {
    const built = comments.flatMap((c) => {
      const post = posts.get(String(c.post));
      return post ? [buildComment(c, post)] : [];
    });
    await this.write(built, fresh);
    return built.length;
  }

  async writePosts(posts: PostSource[], fresh: boolean): Promise<void> {
    await this.write(posts.map(buildPost), fresh);
    for (const post of posts) await this.writePrefixes(post, fresh);
  }

  /**
   * Writes the documents, then their postings in one go (one row per stem for the whole call: a
   * bigger call writes fewer, fuller rows).
   */
  private async write(built: Built[], fresh: boolean): Promise<void> {
    const byStem = new Map<string, Posting[]>();
    const replaced: SearchDoc[] = [];
    const inserted: SearchDoc[] = [];
    for (let i = 0; i < built.length; i += BATCH * 4) {
      let part = built.slice(i, i + BATCH * 4);
      let docs: SearchDoc[];
      if (!fresh) {
        // Indexed before? A write that changes neither its words nor who may see it keeps its
        // ordinal and needs no postings. One that does (an edit, a moderation) gets a new ordinal
        // and new postings: the old ordinal's postings then belong to no document and are skipped
        // by queries (and dropped by a rebuild), so no posting ever contradicts a newer one.
        const before = new Map(
          (
            await SearchDocModel.find({ _id: trusted({ $in: part.map((b) => b.doc._id) }) })
              .select('h len k st pub o')
              .lean<Pick<SearchDoc, '_id' | 'h' | 'len' | 'k' | 'st' | 'pub' | 'o'>[]>()
          ).map((d) => [String(d._id), d]),
        );
        const changed = part.map((b) => {
          const was = before.get(String(b.doc._id));
          return !was || shape(was) !== shape(b.doc);
        });
        const added = await this.ordinals.take(changed.filter(Boolean).length);
        docs = part.map((b, j) => ({
          ...b.doc,
          o: changed[j] ? added.shift()! : before.get(String(b.doc._id))!.o,
        }));
        replaced.push(...docs);
        docs = docs.filter((_, j) => changed[j]);
        part = part.filter((_, j) => changed[j]);
      } else {
        const ordinals = await this.ordinals.take(part.length);
        docs = part.map((b, j) => ({ ...b.doc, o: ordinals[j] }));
        inserted.push(...docs);
      }
      part.forEach((b, j) => {
        for (const { t, w } of b.postings) {
          let list = byStem.get(t);
          if (!list) byStem.set(t, (list = []));
          list.push({ ord: docs[j].o, w, flags: b.flags });
        }
      });
    }
    // Postings first, then the documents that own them: if writing the postings fails, the batch
    // is tried again and a document never holds an ordinal whose postings were not written.
    if (byStem.size) await this.segments.write(byStem);
    let added = 0;
    for (let i = 0; i < replaced.length; i += 500) {
      const result = await SearchDocModel.bulkWrite(
        replaced.slice(i, i + 500).map((doc) => ({
          replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true },
        })),
        { ordered: false },
      );
      added += result.upsertedCount;
    }
    for (let i = 0; i < inserted.length; i += 2000) {
      const part = inserted.slice(i, i + 2000);
      try {
        await SearchDocModel.insertMany(part, { ordered: false, lean: true });
        added += part.length;
      } catch (err) {
        if (!onlyDuplicates(err)) throw err;
        const result = await SearchDocModel.bulkWrite(
          part.map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } })),
          { ordered: false },
        );
        // What insertMany wrote, then what the replacements added (a duplicate error without details
        // counts as nothing inserted).
        const duplicates = (err as { writeErrors?: unknown[] }).writeErrors?.length ?? part.length;
        added += part.length - duplicates + result.upsertedCount;
      }
    }
    await docCount.add(added);
  }

  /** Title-word prefixes (2 to 8 letters) of a published post, for suggestions. */
  private async writePrefixes(post: PostSource, fresh: boolean): Promise<void> {
    if (!fresh) await SearchPrefixModel.deleteMany({ d: post._id });
    if (post.status !== 'published') return;
    const at = post.publishedAt ?? post.createdAt;
    const prefixes = new Set<string>();
    for (const word of words(post.title)) {
      for (let n = 2; n <= Math.min(8, word.length); n += 1) prefixes.add(word.slice(0, n));
    }
    const rows = [...prefixes].map((p) => ({
      _id: prefixId(p, post._id, at),
      p,
      d: post._id,
      title: post.title,
      slug: post.slug,
    }));
    try {
      if (rows.length) await SearchPrefixModel.insertMany(rows, { ordered: false, lean: true });
    } catch (err) {
      if (!onlyDuplicates(err)) throw err;
    }
  }

  /** Drops documents from the index (their postings are skipped by queries, and go at a rebuild). */
  private async remove(ids: Types.ObjectId[]): Promise<void> {
    const { deletedCount } = await SearchDocModel.deleteMany({ _id: trusted({ $in: ids }) });
    await docCount.add(-deletedCount);
    await SearchPrefixModel.deleteMany({ d: trusted({ $in: ids }) });
  }

  /** Empties the index (before a rebuild): the collections are dropped and made again, indexes and all. */
  async clear(): Promise<void> {
    const remake = async (model: {
      collection: { drop(): Promise<unknown> };
      createCollection(): Promise<unknown>;
      createIndexes(): Promise<unknown>;
    }) => {
      await model.collection.drop().catch((err: { codeName?: string }) => {
        if (err.codeName !== 'NamespaceNotFound') throw err;
      });
      await model.createCollection();
      await model.createIndexes();
    };
    await remake(SearchSegmentModel);
    await remake(SearchBodyModel);
    await remake(SearchDocModel);
    await remake(SearchPrefixModel);
    await docCount.set(0);
    await facetState.set(true);
  }

  /**
   * Rebuilds the whole index from the posts and comments (`npm run reindex`), reading comments in
   * _id order a batch at a time, and says how far it is every few seconds.
   */
  async rebuild(
    progress: (message: string) => void = () => undefined,
  ): Promise<{ posts: number; comments: number }> {
    await this.clear();
    const started = Date.now();
    let shown = started;
    const facts = new Map<string, PostFacts>();
    let posts = 0;
    let batch: PostSource[] = [];
    // About how many comments there are, for the progress lines: the posts' visible counts (a count
    // of the comments would read every one of them on the embedded database).
    let total = 0;
    for await (const post of PostModel.find()
      .select(`${POST_FIELDS} commentCount`)
      .lean<(PostSource & { commentCount?: number })[]>()
      .cursor({ batchSize: 200 })) {
      total += post.commentCount ?? 0;
      facts.set(String(post._id), { published: post.status === 'published', tags: post.tags ?? [] });
      batch.push(post);
      if (batch.length === 200) {
        await this.writePosts(batch, true);
        posts += batch.length;
        batch = [];
      }
    }
    await this.writePosts(batch, true);
    posts += batch.length;
    progress(`${posts.toLocaleString('en-US')} posts indexed`);
    let comments = 0;
    let part: CommentSource[] = [];
    const cursor = findComments()
      .sort({ _id: 1 })
      .select(COMMENT_FIELDS)
      .lean<CommentSource[]>()
      .cursor({ batchSize: 1000 });
    for await (const comment of cursor) {
      part.push(comment);
      if (part.length < REBUILD_BATCH) continue;
      comments += await this.writeComments(part, facts, true);
      part = [];
      if (Date.now() - shown > 5000) {
        shown = Date.now();
        const rate = comments / ((Date.now() - started) / 1000);
        progress(
          `${comments.toLocaleString('en-US')} of about ${total.toLocaleString('en-US')} comments indexed (${Math.round(rate)}/s)`,
        );
      }
    }
    comments += await this.writeComments(part, facts, true);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    progress(
      `done: ${posts.toLocaleString('en-US')} posts and ${comments.toLocaleString('en-US')} comments in ${seconds} s`,
    );
    return { posts, comments };
  }
}

export { COMMENT_FIELDS, POST_FIELDS, type CommentSource, type PostSource, type PostFacts };
