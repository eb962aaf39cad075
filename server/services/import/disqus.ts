import { createReadStream } from 'node:fs';
import type { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { findComment, commentById } from '../comments/comment-store.js';
import { PostModel, type Post } from '../../../models/post.js';
import { autop, sanitizeCommentHtml } from '../../lib/markdown.js';
import { idFor } from './ids.js';
import { ImportReport } from './report.js';
import { finishPost, parseDate, writeComments, type ImportedComment } from './writer.js';
import { child, streamRecords, textOf } from './xml-stream.js';
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
  const bySlug = new Map(posts.map((p) => [p.slug, p]));
  const bySource = new Map(posts.filter((p) => p.sourceKey).map((p) => [p.sourceKey, p]));
  const threads = new Map<string, Post | null>();
  const unmatched = new Map<string, string>();
  const nextNumber = new Map<string, number>();
  const added = new Map<string, number>();
  let batch: ImportedComment[] = [];
  const placed = new Map<string, Placed>();
  const started = Date.now();
  let lastProgress = 0;

  async function numberFor(post: Post): Promise<number> {
    const key = String(post._id);
    if (!nextNumber.has(key)) {
      const last = await findComment({ post: post._id }).sort({ number: -1 }).select('number').lean();
      nextNumber.set(key, last?.number ?? 0);
    }
    const n = nextNumber.get(key)! + 1;
    nextNumber.set(key, n);
    return n;
  }

  async function flush() {
    if (batch.length === 0) return;
    const written = batch;
    batch = [];
    placed.clear();
    for (const [post, n] of await writeComments(written, report)) added.set(post, (added.get(post) ?? 0) + n);
  }

  const records = streamRecords(
    createReadStream(file),
    (name, depth) => depth === 2 && (name === 'thread' || name === 'post'),
  );
  for await (const record of records) {
    const dsqId = record.attrs['dsq:id'] ?? '';
    if (record.name === 'thread') {
      const link = textOf(record, 'link');
      const identifier = textOf(record, 'id');
      const wpId = /^(\d+)\s/.exec(identifier)?.[1];
      const post = (wpId && bySource.get(`wordpress:post:${wpId}`)) || bySlug.get(slugFromLink(link)) || null;
      threads.set(dsqId, post);
      if (!post) unmatched.set(dsqId, link || identifier || dsqId);
      continue;
    }
    if (textOf(record, 'isDeleted') === 'true') {
      report.skip('deleted comments');
      continue;
    }
    if (textOf(record, 'isSpam') === 'true') {
      report.skip('spam comments');
      continue;
    }
    const threadId = child(record, 'thread')?.attrs['dsq:id'] ?? '';
    const post = threads.get(threadId);
    if (!post) {
      report.skip('comments on unmatched threads');
      continue;
    }
    const _id = idFor(`disqus:post:${dsqId}`);
    const parentDsq = child(record, 'parent')?.attrs['dsq:id'];
    let parent: Placed | null = null;
    if (parentDsq) {
      const parentId = idFor(`disqus:post:${parentDsq}`);
      // By _id: from this batch, or the one lookup the embedded database answers from an index.
      parent =
        placed.get(String(parentId)) ??
        (await commentById(parentId).select('_id ancestors root depth post').lean<Placed>());
      if (!parent || String(parent.post) !== String(post._id)) {
        report.problem(`Disqus comment ${dsqId}: parent ${parentDsq} is missing; attached to the post`);
        parent = null;
      }
    }
    const message = textOf(record, 'message');
    const author = child(record, 'author');
    const date = parseDate(textOf(record, 'createdAt')) ?? new Date(0);
    const comment: ImportedComment = {
      _id,
      sourceKey: `disqus:post:${dsqId}`,
      post: post._id as Types.ObjectId,
      ...lineageOf(_id, parent),
      number: await numberFor(post),
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
    batch.push(comment);
    placed.set(String(_id), comment);
    if (batch.length >= BATCH) await flush();
    if (Date.now() - lastProgress > 1000) {
      lastProgress = Date.now();
      const done = report.comments.imported + report.comments.existing + batch.length;
      progress(`${done} comments (${Math.round(done / Math.max((Date.now() - started) / 1000, 0.001))}/s)`);
    }
  }
  await flush();
  for (const [postId, n] of added) await finishPost(posts.find((p) => String(p._id) === postId)!._id, n);
  for (const [id, where] of unmatched)
    report.problem(`Disqus thread ${id} (${where}) matches no post; its comments were skipped`);
  return report;
}
