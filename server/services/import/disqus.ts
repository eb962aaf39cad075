import { createReadStream } from 'node:fs';
import type { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { findComment, commentById } from '../comments/comment-store.js';
import { PostModel, type Post } from '../../../models/post.js';
import { autop, sanitizeCommentHtml } from '../../lib/markdown.js';
import { idFor } from './ids.js';
import { ImportReport } from './report.js';
import { finishPost, parseDate, writeComments, type ImportedComment } from './writer.js';
import { child, streamRecords, textOf, type XmlNode } from './xml-stream.js';
import type { Progress } from './wordpress.js';
import { lineageOf } from '../comments/lineage.js';

const BATCH = 500;

/** The slug a thread link points at: the last path segment ("/posts/slug", "/2024/05/slug/"). */
function slugFromLink(link: string): string {
  try {
    const parts = new URL(link).pathname.split('/').filter(Boolean);
    return parts[parts.length - 1] ?? '';
  } catch {
    return '';
  }
}

type Placed = Pick<Comment, '_id' | 'ancestors' | 'root' | 'depth' | 'post'>;

/**
 * Imports a Disqus export, streamed: threads are matched to posts by link
 * (the post's slug) or by a WordPress identifier ("123 https://…?p=123");
 * unmatched threads are reported. Comments keep their parents; deleted and
 * spam ones are skipped and counted. Keyed by Disqus ids, so a second run
 * changes nothing.
 */
export async function importDisqus(
  file: string,
  progress: Progress = () => undefined,
  report: ImportReport = new ImportReport(),
): Promise<ImportReport> {
  const posts = await PostModel.find({}).select('_id slug sourceKey commentCount').lean<Post[]>();
  const run = new DisqusRun(posts, report);
  const started = Date.now();
  let lastProgress = 0;

  const records = streamRecords(
    createReadStream(file),
    (name, depth) => depth === 2 && (name === 'thread' || name === 'post'),
  );
  for await (const record of records) {
    const dsqId = record.attrs['dsq:id'] ?? '';
    if (record.name === 'thread') {
      run.thread(record, dsqId);
      continue;
    }
    if (!(await run.comment(record, dsqId))) continue;
    if (Date.now() - lastProgress > 1000) {
      lastProgress = Date.now();
      const done = report.comments.imported + report.comments.existing + run.waiting;
      progress(`${done} comments (${Math.round(done / Math.max((Date.now() - started) / 1000, 0.001))}/s)`);
    }
  }
  await run.finish();
  return report;
}

/**
 * One import's state: the posts threads are matched to, the comments waiting to be written (a
 * batch at a time), the numbers given so far and the comments added per post.
 */
class DisqusRun {
  private readonly bySlug: Map<string, Post>;
  private readonly bySource: Map<string | undefined, Post>;
  private readonly threads = new Map<string, Post | null>();
  private readonly unmatched = new Map<string, string>();
  private readonly nextNumber = new Map<string, number>();
  private readonly added = new Map<string, number>();
  private batch: ImportedComment[] = [];
  private readonly placed = new Map<string, Placed>();

  constructor(
    private readonly posts: Post[],
    private readonly report: ImportReport,
  ) {
    this.bySlug = new Map(posts.map((p) => [p.slug, p]));
    this.bySource = new Map(posts.filter((p) => p.sourceKey).map((p) => [p.sourceKey, p]));
  }

  /** Comments read and not written yet. */
  get waiting(): number {
    return this.batch.length;
  }

  /** Matches a thread to its post, by WordPress id or by link (an unmatched one is reported at the end). */
  thread(record: XmlNode, dsqId: string): void {
    const link = textOf(record, 'link');
    const identifier = textOf(record, 'id');
    const wpId = /^(\d+)\s/.exec(identifier)?.[1];
    const post =
      (wpId && this.bySource.get(`wordpress:post:${wpId}`)) || this.bySlug.get(slugFromLink(link)) || null;
    this.threads.set(dsqId, post);
    if (!post) this.unmatched.set(dsqId, link || identifier || dsqId);
  }

  /** Adds a comment to the batch (written when full); false when it is skipped. */
  async comment(record: XmlNode, dsqId: string): Promise<boolean> {
    const post = this.postOf(record);
    if (!post) return false;
    const _id = idFor(`disqus:post:${dsqId}`);
    const parent = await this.parentOf(record, dsqId, post);
    const message = textOf(record, 'message');
    const author = child(record, 'author');
    const date = parseDate(textOf(record, 'createdAt')) ?? new Date(0);
    const comment: ImportedComment = {
      _id,
      sourceKey: `disqus:post:${dsqId}`,
      post: post._id as Types.ObjectId,
      ...lineageOf(_id, parent),
      number: await this.numberFor(post),
      authorName: (author && (textOf(author, 'name') || textOf(author, 'username'))) || 'Anonymous',
      authorEmail: (author && textOf(author, 'email').toLowerCase()) || '',
      authorUrl: '',
      authorKind: 'guest',
      bodySource: message,
      bodyHtml: sanitizeCommentHtml(autop(message)) || '<p>(empty)</p>',
      status: 'visible',
      heldReason: '',
      createdAt: date,
      updatedAt: date,
    };
    this.batch.push(comment);
    this.placed.set(String(_id), comment);
    if (this.batch.length >= BATCH) await this.flush();
    return true;
  }

  /** Writes what is waiting, counts each post's added comments and reports the unmatched threads. */
  async finish(): Promise<void> {
    await this.flush();
    for (const [postId, n] of this.added)
      await finishPost(this.posts.find((p) => String(p._id) === postId)!._id, n);
    for (const [id, where] of this.unmatched)
      this.report.problem(`Disqus thread ${id} (${where}) matches no post; its comments were skipped`);
  }

  /** The post a comment is on; null (counted) for a deleted or spam comment, or an unmatched thread. */
  private postOf(record: XmlNode): Post | null {
    if (textOf(record, 'isDeleted') === 'true') {
      this.report.skip('deleted comments');
      return null;
    }
    if (textOf(record, 'isSpam') === 'true') {
      this.report.skip('spam comments');
      return null;
    }
    const threadId = child(record, 'thread')?.attrs['dsq:id'] ?? '';
    const post = this.threads.get(threadId);
    if (!post) {
      this.report.skip('comments on unmatched threads');
      return null;
    }
    return post;
  }

  /** The comment's parent; null (reported when there is one) when it is missing or on another post. */
  private async parentOf(record: XmlNode, dsqId: string, post: Post): Promise<Placed | null> {
    const parentDsq = child(record, 'parent')?.attrs['dsq:id'];
    if (!parentDsq) return null;
    const parentId = idFor(`disqus:post:${parentDsq}`);
    // By _id: from this batch, or the one lookup the embedded database answers from an index.
    const parent =
      this.placed.get(String(parentId)) ??
      (await commentById(parentId).select('_id ancestors root depth post').lean<Placed>());
    if (!parent || String(parent.post) !== String(post._id)) {
      this.report.problem(`Disqus comment ${dsqId}: parent ${parentDsq} is missing; attached to the post`);
      return null;
    }
    return parent;
  }

  /** The post's next comment number (after its last, read once). */
  private async numberFor(post: Post): Promise<number> {
    const key = String(post._id);
    if (!this.nextNumber.has(key)) {
      const last = await findComment({ post: post._id }).sort({ number: -1 }).select('number').lean();
      this.nextNumber.set(key, last?.number ?? 0);
    }
    const n = this.nextNumber.get(key)! + 1;
    this.nextNumber.set(key, n);
    return n;
  }

  /** Writes the batch, and counts the comments it added per post. */
  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const written = this.batch;
    this.batch = [];
    this.placed.clear();
    for (const [post, n] of await writeComments(written, this.report))
      this.added.set(post, (this.added.get(post) ?? 0) + n);
  }
}
