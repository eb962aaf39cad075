import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { findComments, importComments } from '../comments/comment-store.js';
import { PostModel, type Post } from '../../../models/post.js';
import { idFor } from './ids.js';
import { nameKey } from '../../lib/name-key.js';
import { syncListing } from '../posts/post-listing.js';
import type { ImportReport } from './report.js';
import { isDuplicateKey } from '../../db/upsert.js';

export interface ImportedPost {
  sourceKey: string;
  title: string;
  slug: string;
  letterHtml: string;
  answerHtml: string;
  excerpt: string;
  tags: string[];
  authorName: string;
  status: 'draft' | 'scheduled' | 'published';
  publishedAt: Date | null;
  commentStatus: 'open' | 'closed';
}

/** A comment written in bulk (imports and demo content), complete as stored. */
export interface ImportedComment {
  _id: Types.ObjectId;
  sourceKey: string;
  post: Types.ObjectId;
  parent: Types.ObjectId | null;
  ancestors: Types.ObjectId[];
  root: Types.ObjectId;
  depth: number;
  number: number;
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  authorKind: 'guest' | 'columnist' | 'member';
  authorUser?: Types.ObjectId | null;
  bodySource: string;
  bodyHtml: string;
  status: 'visible' | 'pending';
  heldReason: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Writes an imported post once: its _id comes from its source, so a second import finds it.
 * `created` says whether it is new (then none of its comments can be there yet).
 */
export async function writePost(
  post: ImportedPost,
  report: ImportReport,
): Promise<{ post: Post; created: boolean }> {
  const _id = idFor(post.sourceKey);
  const existing = await PostModel.findById(_id).lean<Post>();
  if (existing) {
    report.posts.existing += 1;
    return { post: existing, created: false };
  }
  const base = post.slug || 'post';
  for (let attempt = 1; ; attempt += 1) {
    const slug = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      const created = await PostModel.create({
        _id,
        ...post,
        slug,
        letterSource: post.letterHtml,
        answerSource: post.answerHtml,
        authorNameKey: nameKey(post.authorName),
        format: 'html',
        threadVersion: randomBytes(8).toString('hex'),
        commentCount: 0,
      });
      if (slug !== base)
        report.problem(`post “${post.title}”: the address ${base} was taken, imported as ${slug}`);
      report.posts.imported += 1;
      const saved = created.toObject() as Post;
      await syncListing(saved);
      await report.onPostWritten(saved);
      return { post: saved, created: true };
    } catch (err) {
      const dup = isDuplicateKey(err);
      if (!dup || attempt >= 50) throw err;
      // Lost a race with ourselves on _id (an interrupted import that got further): read it back.
      const again = await PostModel.findById(_id).lean<Post>();
      if (again) {
        report.posts.existing += 1;
        return { post: again, created: false };
      }
    }
  }
}

/**
 * Inserts comments in one unordered batch. Ones already there (same _id from
 * an earlier run) are counted, not duplicated. Returns the newly written
 * visible comments per post id.
 */
export async function writeComments(
  all: ImportedComment[],
  report: ImportReport,
  options: { newPosts?: Set<string> } = {},
): Promise<Map<string, number>> {
  const added = new Map<string, number>();
  // Comments already there from an earlier run are found by their source, whatever _id that run
  // gave them (ids of WordPress comments now begin with their date): one indexed read per post
  // that was there before (a post this run created has none yet).
  const comments = await notYetImported(all, options.newPosts ?? new Set());
  report.comments.existing += all.length - comments.length;
  if (comments.length === 0) return added;
  let insertedIds: Set<string>;
  try {
    const docs = comments.map((c) => ({
      authorUser: null,
      editedAt: null,
      removedReason: '',
      locked: false,
      reportCount: 0,
      ipHash: '',
      ...c,
    }));
    // lean: skips Mongoose's per-document work; the documents above are complete.
    const inserted = await importComments(docs);
    insertedIds = new Set(inserted.map((c) => String(c._id)));
  } catch (err) {
    if (!onlyDuplicateKeys(err)) throw err;
    const bulk = err as { insertedDocs?: { _id: unknown }[] };
    insertedIds = new Set((bulk.insertedDocs ?? []).map((d) => String(d._id)));
  }
  await report.onCommentsWritten(comments.filter((c) => insertedIds.has(String(c._id))));
  report.comments.imported += insertedIds.size;
  report.comments.existing += comments.length - insertedIds.size;
  for (const c of comments) {
    if (c.status === 'visible' && insertedIds.has(String(c._id))) {
      added.set(String(c.post), (added.get(String(c.post)) ?? 0) + 1);
    }
  }
  return added;
}

async function notYetImported(
  comments: ImportedComment[],
  newPosts: Set<string>,
): Promise<ImportedComment[]> {
  const posts = [...new Set(comments.map((c) => String(c.post)))].filter((p) => !newPosts.has(p));
  const known = new Set<string>();
  for (const post of posts) {
    const stored = await findComments({ post }).select('sourceKey').lean();
    for (const c of stored) if (c.sourceKey) known.add(c.sourceKey);
  }
  return comments.filter((c) => !known.has(c.sourceKey));
}

/** Adds newly imported visible comments to the post's count and marks its thread changed. */
export async function finishPost(postId: Types.ObjectId, addedVisible: number): Promise<void> {
  const post = await PostModel.findById(postId).select('commentCount').lean<Post>();
  await PostModel.updateOne(
    { _id: postId },
    {
      $set: {
        commentCount: (post?.commentCount ?? 0) + addedVisible,
        threadVersion: randomBytes(8).toString('hex'),
      },
    },
  );
}

/** Whether an unordered bulk insert failed only on documents already there (duplicate keys). */
export function onlyDuplicateKeys(err: unknown): boolean {
  const errors = (err as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors ?? [];
  return errors.length > 0 && errors.every((e) => (e.code ?? e.err?.code) === 11000);
}

/** Parses WordPress "2024-01-02 03:04:05" (GMT) and ISO dates; null when empty or zero. */
export function parseDate(raw: string): Date | null {
  const text = raw.trim();
  if (!text || text.startsWith('0000-00-00')) return null;
  const iso = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Gathers the comments of several posts and writes them a few thousand at a time (fewer, larger
 * transactions), in the background while the next posts are read; then finishes each post (its
 * count and thread version). At most one batch waits behind the one being written.
 */
export class CommentWriter {
  private batch: ImportedComment[] = [];
  private posts: { id: Types.ObjectId; created: boolean }[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly report: ImportReport,
    private readonly batchSize = 2000,
  ) {}

  async add(postId: Types.ObjectId, created: boolean, comments: ImportedComment[]): Promise<void> {
    this.batch.push(...comments);
    this.posts.push({ id: postId, created });
    if (this.batch.length >= this.batchSize) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.writing;
  }

  private async flush(): Promise<void> {
    const comments = this.batch;
    const posts = this.posts;
    this.batch = [];
    this.posts = [];
    const previous = this.writing;
    this.writing = previous.then(async () => {
      const newPosts = new Set(posts.filter((p) => p.created).map((p) => String(p.id)));
      const added = await writeComments(comments, this.report, { newPosts });
      for (const post of posts) await finishPost(post.id, added.get(String(post.id)) ?? 0);
    });
    // Handled here so a failure is not "unhandled" while it waits; the next flush or close throws it.
    this.writing.catch(() => undefined);
    // Let one batch be written while the next is gathered; wait for the one before it.
    await previous;
  }
}
