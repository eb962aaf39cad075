import { createReadStream } from 'node:fs';
import type { Types } from 'mongoose';
import { autop, plainExcerpt, sanitizeCommentHtml, sanitizePostHtml } from '../../lib/markdown.js';
import { parseTags, slugify } from '../../lib/slug.js';
import { idFor } from './ids.js';
import { ImportReport } from './report.js';
import { CommentWriter, parseDate, writePost, type ImportedComment, type ImportedPost } from './writer.js';
import { streamRecords, textOf, type XmlNode } from './xml-stream.js';
import { lineageOf } from '../comments/lineage.js';

export type Progress = (message: string) => void;

const STATUS: Record<string, ImportedPost['status'] | undefined> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'draft',
  private: 'draft',
};

// "A reader writes:" (in a paragraph, maybe emphasised) then a block quote: the letter, and the rest is the answer.
const LETTER =
  /^\s*(?:<p[^>]*>)?\s*(?:<(?:em|strong|i|b)>\s*)?A reader writes:?\s*(?:<\/(?:em|strong|i|b)>\s*)?(?:<\/p>)?\s*<blockquote[^>]*>([\s\S]*?)<\/blockquote>([\s\S]*)$/i;

export function splitLetter(html: string): { letterHtml: string; answerHtml: string } {
  const match = LETTER.exec(html);
  if (!match) return { letterHtml: '', answerHtml: sanitizePostHtml(autop(html)) };
  return { letterHtml: sanitizePostHtml(autop(match[1])), answerHtml: sanitizePostHtml(autop(match[2])) };
}

interface Author {
  id: string;
  login: string;
  displayName: string;
  email: string;
}

/**
 * Imports a WordPress export (WXR 1.0–1.2), streamed item by item: posts with
 * their slug, GMT dates, status, categories and tags, author and comment
 * status; comments with their threads, dates, author name, private email and
 * URL. Keyed by source ids, so running it again changes nothing and an
 * interrupted run completes.
 */
export async function importWordpress(
  file: string,
  progress: Progress = () => undefined,
): Promise<ImportReport> {
  const report = new ImportReport();
  const authors = new Map<string, Author>();
  const started = Date.now();
  let lastProgress = 0;
  const comments = new CommentWriter(report);

  const records = streamRecords(createReadStream(file), (name) => name === 'item' || name === 'wp:author');
  for await (const record of records) {
    if (record.name === 'wp:author') {
      const author = {
        id: textOf(record, 'wp:author_id'),
        login: textOf(record, 'wp:author_login'),
        displayName: textOf(record, 'wp:author_display_name'),
        email: textOf(record, 'wp:author_email').toLowerCase(),
      };
      authors.set(author.login, author);
      continue;
    }
    try {
      await importItem(record, authors, report, comments);
    } catch (err) {
      // One record that does not fit is reported, and the rest goes in; anything else stops.
      if ((err as Error).name !== 'ValidationError') throw err;
      report.problem(`line ${record.line}: ${(err as Error).message}; not imported`);
      report.skip('records that could not be imported');
    }
    const done = report.comments.imported + report.comments.existing;
    if (Date.now() - lastProgress > 1000) {
      lastProgress = Date.now();
      const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
      progress(`${report.posts.imported + report.posts.existing} posts, ${done} comments (${rate}/s)`);
    }
  }
  await comments.close();
  return report;
}

async function importItem(
  item: XmlNode,
  authors: Map<string, Author>,
  report: ImportReport,
  comments: CommentWriter,
): Promise<void> {
  const type = textOf(item, 'wp:post_type') || 'post';
  const title = textOf(item, 'title') || '(untitled)';
  if (type !== 'post') {
    report.skip(`items of type “${type}”`);
    return;
  }
  const wpStatus = textOf(item, 'wp:status');
  const status = STATUS[wpStatus];
  if (!status) {
    report.skip(`posts with status “${wpStatus || 'none'}”`);
    return;
  }
  const postId = textOf(item, 'wp:post_id');
  if (!postId) {
    report.problem(`line ${item.line}: post “${title}” has no wp:post_id; skipped`);
    report.skip('posts without an id');
    return;
  }
  const creator = textOf(item, 'dc:creator');
  const author = authors.get(creator);
  const { letterHtml, answerHtml } = splitLetter(textOf(item, 'content:encoded'));
  const tags = parseTags(
    item.children
      .filter((c) => c.name === 'category' && ['category', 'post_tag'].includes(c.attrs.domain ?? ''))
      .map((c) => c.attrs.nicename || c.text)
      .join(','),
  );
  const publishedAt = parseDate(textOf(item, 'wp:post_date_gmt')) ?? parseDate(textOf(item, 'wp:post_date'));
  const { post, created } = await writePost(
    {
      sourceKey: `wordpress:post:${postId}`,
      title,
      slug: slugify(textOf(item, 'wp:post_name')) || slugify(title) || `post-${postId}`,
      letterHtml,
      answerHtml,
      excerpt: plainExcerpt(letterHtml || answerHtml),
      tags,
      authorName: author?.displayName || creator || 'The Columnist',
      status,
      publishedAt: status === 'draft' ? null : publishedAt,
      commentStatus: textOf(item, 'wp:comment_status') === 'closed' ? 'closed' : 'open',
    },
    report,
  );
  await comments.add(post._id, created, buildComments(item, post._id, postId, author, report));
}

function buildComments(
  item: XmlNode,
  post: Types.ObjectId,
  postId: string,
  author: Author | undefined,
  report: ImportReport,
): ImportedComment[] {
  interface Raw {
    id: string;
    parent: string;
    node: XmlNode;
    date: Date;
    status: 'visible' | 'pending';
  }
  const raws: Raw[] = [];
  for (const node of item.children.filter((c) => c.name === 'wp:comment')) {
    const approved = textOf(node, 'wp:comment_approved');
    if (approved === 'spam') report.skip('spam comments');
    else if (approved === 'trash' || approved === 'post-trashed') report.skip('trashed comments');
    else if (approved === '1' || approved === '0') {
      const date =
        parseDate(textOf(node, 'wp:comment_date_gmt')) ??
        parseDate(textOf(node, 'wp:comment_date')) ??
        new Date(0);
      raws.push({
        id: textOf(node, 'wp:comment_id'),
        parent: textOf(node, 'wp:comment_parent'),
        node,
        date,
        status: approved === '1' ? 'visible' : 'pending',
      });
    } else report.skip(`comments with status “${approved || 'none'}”`);
  }
  // Comment numbers follow the original order.
  raws.sort((a, b) => a.date.getTime() - b.date.getTime() || Number(a.id) - Number(b.id));
  const byId = new Map(raws.map((r) => [r.id, r]));
  const built = new Map<string, ImportedComment>();

  const build = (raw: Raw, number: number, seen: Set<string>): ImportedComment => {
    const existing = built.get(raw.id);
    if (existing) return existing;
    const _id = idFor(`wordpress:comment:${postId}:${raw.id}`, raw.date);
    let parent: ImportedComment | undefined;
    if (raw.parent && raw.parent !== '0') {
      const parentRaw = byId.get(raw.parent);
      if (!parentRaw || seen.has(raw.parent)) {
        report.problem(
          `post ${postId}, comment ${raw.id}: parent ${raw.parent} is missing; attached to the post`,
        );
      } else {
        parent = build(parentRaw, numbers.get(parentRaw.id)!, new Set([...seen, raw.id]));
      }
    }
    const name = textOf(raw.node, 'wp:comment_author') || 'Anonymous';
    const email = textOf(raw.node, 'wp:comment_author_email').toLowerCase();
    const isAuthor =
      Boolean(author) &&
      ((author!.id !== '' && textOf(raw.node, 'wp:comment_user_id') === author!.id) ||
        (author!.email !== '' && email === author!.email));
    const content = textOf(raw.node, 'wp:comment_content');
    const comment: ImportedComment = {
      _id,
      sourceKey: `wordpress:comment:${postId}:${raw.id}`,
      post,
      ...lineageOf(_id, parent),
      number,
      authorName: isAuthor ? author!.displayName || name : name,
      authorEmail: email,
      authorUrl: textOf(raw.node, 'wp:comment_author_url'),
      authorKind: isAuthor ? 'columnist' : 'guest',
      bodySource: content,
      bodyHtml: sanitizeCommentHtml(autop(content)) || '<p>(empty)</p>',
      status: raw.status,
      heldReason: raw.status === 'pending' ? 'unapproved in WordPress' : '',
      createdAt: raw.date,
      updatedAt: raw.date,
    };
    built.set(raw.id, comment);
    return comment;
  };
  const numbers = new Map(raws.map((r, i) => [r.id, i + 1]));
  return raws.map((raw, i) => build(raw, i + 1, new Set()));
}
