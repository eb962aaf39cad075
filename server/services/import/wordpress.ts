import { createReadStream } from 'node:fs';
import { decodeHTML } from 'entities';
import type { Types } from 'mongoose';
import { autop, sanitizeCommentHtml } from '../../lib/markdown.js';
import { parseTags, slugify } from '../../lib/slug.js';
import { idFor } from './ids.js';
import { ImportReport } from './report.js';
import { CommentWriter, parseDate, writePost, type ImportedComment, type ImportedPost } from './writer.js';
import type { Post } from '../../../models/post.js';
import { streamRecords, textOf, type XmlNode } from './xml-stream.js';
import { lineageOf } from '../comments/lineage.js';
import { ImportedAccounts } from './accounts.js';
import { wordpressContent } from './wordpress-content.js';
import { LegacyUrlWriter } from './legacy-urls.js';
import { POST_LIMITS } from '../posts/post-service.js';

export type Progress = (message: string) => void;

const STATUS: Record<string, ImportedPost['status'] | undefined> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'draft',
  private: 'draft',
};

/** Why a WordPress status is kept here as a draft. */
const KEPT_AS_DRAFT: Record<string, string> = {
  private: 'private in WordPress: kept as a draft, not published',
  pending: 'pending review in WordPress: kept as a draft',
};

/** A title as WordPress shows it (entities decoded, tags dropped), cut at a word if it is too long. */
export function fitTitle(raw: string): { title: string; cut: boolean } {
  const text = decodeHTML(raw.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= POST_LIMITS.title) return { title: text, cut: false };
  const room = text.slice(0, POST_LIMITS.title - 1);
  const atWord = room.replace(/\s+\S*$/, '');
  return { title: `${atWord.length > POST_LIMITS.title / 2 ? atWord : room}…`, cut: true };
}

interface Author {
  id: string;
  login: string;
  displayName: string;
  email: string;
}

/**
 * Imports a WordPress export (WXR 1.0–1.2), streamed item by item: posts with their slug, GMT
 * dates, status, categories and tags, author and comment status, their content as WordPress shows
 * it, and their old addresses (answered with a 301 from then on); comments with their threads,
 * dates, author name, private email and URL, attached to accounts made for the export's authors and
 * registered commenters. Keyed by source ids, so running it again changes nothing and an
 * interrupted run completes. Every item is counted by kind and outcome in the report.
 */
export async function importWordpress(
  file: string,
  progress: Progress = () => undefined,
  report: ImportReport = new ImportReport(),
): Promise<ImportReport> {
  const site: Site = {
    authors: new Map<string, Author>(),
    baseUrl: '',
    accounts: new ImportedAccounts(report),
    legacyUrls: new LegacyUrlWriter(),
  };
  const started = Date.now();
  let lastProgress = 0;
  const comments = new CommentWriter(report);

  const records = streamRecords(
    createReadStream(file),
    (name) => name === 'item' || name === 'wp:author' || name === 'wp:base_site_url',
  );
  for await (const record of records) {
    if (record.name === 'wp:base_site_url') {
      site.baseUrl = record.text.trim();
      continue;
    }
    if (record.name === 'wp:author') {
      const author = {
        id: textOf(record, 'wp:author_id'),
        login: textOf(record, 'wp:author_login'),
        displayName: textOf(record, 'wp:author_display_name'),
        email: textOf(record, 'wp:author_email').toLowerCase(),
      };
      site.authors.set(author.login, author);
      continue;
    }
    try {
      await importItem(record, site, report, comments);
    } catch (err) {
      // One record that does not fit is reported, and the rest goes in; a lost database stops.
      if (!isRecordError(err)) throw err;
      report.skipRecord(
        textOf(record, 'wp:post_type') || 'post',
        'records that could not be imported',
        `line ${record.line}: “${textOf(record, 'title')}”: ${(err as Error).message}; not imported`,
      );
    }
    const done = report.comments.imported + report.comments.existing;
    if (Date.now() - lastProgress > 1000) {
      lastProgress = Date.now();
      const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
      progress(`${report.posts.imported + report.posts.existing} posts, ${done} comments (${rate}/s)`);
    }
  }
  await comments.close();
  await site.legacyUrls.close();
  report.count('comment', 'imported', undefined, report.comments.imported);
  report.count('comment', 'existing', undefined, report.comments.existing);
  return report;
}

/** Errors of one record (validation, a value that cannot be cast), as opposed to the database's. */
function isRecordError(err: unknown): boolean {
  const name = (err as Error | undefined)?.name ?? '';
  return ['ValidationError', 'CastError', 'ValidatorError', 'StrictModeError'].includes(name);
}

interface Site {
  authors: Map<string, Author>;
  baseUrl: string;
  accounts: ImportedAccounts;
  legacyUrls: LegacyUrlWriter;
}

/** An item the import takes: a post with an id and a status kept here. */
interface AcceptedItem {
  postId: string;
  rawTitle: string;
  /** How the report names the item. */
  what: string;
  wpStatus: string;
  status: ImportedPost['status'];
}

/** Imports one item: a post, its old addresses and its comments (other items are reported). */
async function importItem(
  item: XmlNode,
  site: Site,
  report: ImportReport,
  comments: CommentWriter,
): Promise<void> {
  const accepted = acceptItem(item, report);
  if (!accepted) return;
  const { postId, what } = accepted;
  const creator = textOf(item, 'dc:creator');
  const author = site.authors.get(creator);
  const { fields, changes } = postOf(item, accepted, author?.displayName || creator || 'The Columnist');
  const authorAccount = author ? await columnistAccount(author, site) : null;
  const { post, created } = await writePost(fields, report);
  report.count('post', created ? 'imported' : 'existing', fields.status);
  if (created) for (const change of changes) report.problem(`${what}: ${change}`);
  site.legacyUrls.add(post, item, site.baseUrl, report);
  const built = await buildComments(item, post, postId, { author, authorAccount }, site, report);
  await comments.add(post._id, created, built);
}

/** The item's id, title and status, or null (reported) when it is not a post the import takes. */
function acceptItem(item: XmlNode, report: ImportReport): AcceptedItem | null {
  const type = textOf(item, 'wp:post_type') || 'post';
  const rawTitle = textOf(item, 'title');
  const postId = textOf(item, 'wp:post_id');
  const what = `${type} ${postId || '?'} “${rawTitle || '(untitled)'}”`;
  if (type !== 'post') {
    report.skipRecord(type, `items of type “${type}”`, `${what}: items of type “${type}” are not imported`);
    return null;
  }
  const wpStatus = textOf(item, 'wp:status');
  const status = STATUS[wpStatus];
  if (!status) {
    const shown = wpStatus || 'none';
    report.skipRecord('post', `posts with status “${shown}”`, `${what}: status “${shown}”; not imported`);
    return null;
  }
  if (!postId) {
    report.skipRecord(
      'post',
      'posts without an id',
      `line ${item.line}: ${what} has no wp:post_id; not imported`,
    );
    return null;
  }
  return { postId, rawTitle, what, wpStatus, status };
}

/** The post as written here, and what changed on the way (reported when the post is new). */
function postOf(
  item: XmlNode,
  { postId, rawTitle, wpStatus, status: kept }: AcceptedItem,
  authorName: string,
): { fields: ImportedPost; changes: string[] } {
  let status = kept;
  const changes: string[] = [];
  if (KEPT_AS_DRAFT[wpStatus]) changes.push(KEPT_AS_DRAFT[wpStatus]);
  if (textOf(item, 'wp:post_password') && status !== 'draft') {
    status = 'draft';
    changes.push('password-protected in WordPress: kept as a draft, not published');
  }
  if (textOf(item, 'wp:is_sticky') === '1') changes.push('sticky in WordPress: shown in date order here');
  const { title, cut } = fitTitle(rawTitle);
  if (cut) changes.push(`title shortened to ${POST_LIMITS.title} characters`);
  const content = wordpressContent(textOf(item, 'content:encoded'), textOf(item, 'excerpt:encoded'));
  changes.push(...summarize(content.changes));
  const publishedAt = parseDate(textOf(item, 'wp:post_date_gmt')) ?? parseDate(textOf(item, 'wp:post_date'));
  const fields: ImportedPost = {
    sourceKey: `wordpress:post:${postId}`,
    title: title || '(untitled)',
    slug: slugify(textOf(item, 'wp:post_name')) || slugify(title) || `post-${postId}`,
    letterHtml: content.letterHtml,
    answerHtml: content.answerHtml,
    excerpt: content.excerpt,
    tags: tagsOf(item),
    authorName,
    status,
    publishedAt: status === 'draft' ? null : publishedAt,
    commentStatus: textOf(item, 'wp:comment_status') === 'closed' ? 'closed' : 'open',
  };
  return { fields, changes };
}

/** The item's categories and tags, as one list of tags. */
function tagsOf(item: XmlNode): string[] {
  return parseTags(
    item.children
      .filter((c) => c.name === 'category' && ['category', 'post_tag'].includes(c.attrs.domain ?? ''))
      .map((c) => c.attrs.nicename || c.text)
      .join(','),
  );
}

/** The account made for one of the export's authors (an editor). */
function columnistAccount(author: Author, site: Site): Promise<Types.ObjectId> {
  return site.accounts.account(`wordpress:user:${author.id}`, {
    name: author.displayName || author.login,
    email: author.email,
    role: 'editor',
  });
}

/** "dropped shortcode [gallery]" twice → "dropped shortcode [gallery] (2)". */
function summarize(changes: string[]): string[] {
  const counts = new Map<string, number>();
  for (const change of changes) counts.set(change, (counts.get(change) ?? 0) + 1);
  return [...counts].map(([change, n]) => (n > 1 ? `${change} (${n})` : change));
}

/** A WordPress comment the import takes, as read from the export. */
interface RawComment {
  id: string;
  parent: string;
  node: XmlNode;
  date: Date;
  status: 'visible' | 'pending';
}

/** The post's columnist: the export's author who wrote it, and their account. */
interface Columnist {
  author: Author | undefined;
  authorAccount: Types.ObjectId | null;
}

/** What building a post's comments reads, and the comments built so far (by WordPress id). */
interface CommentThread {
  postId: string;
  post: Pick<Post, '_id' | 'slug'>;
  byId: Map<string, RawComment>;
  numbers: Map<string, number>;
  built: Map<string, ImportedComment>;
  accounts: Map<string, Types.ObjectId>;
  authorsById: Map<string, Author>;
  columnist: Columnist;
  report: ImportReport;
}

/** The post's comments, numbered in their original order, each after its parent. */
async function buildComments(
  item: XmlNode,
  post: Pick<Post, '_id' | 'slug'>,
  postId: string,
  columnist: Columnist,
  site: Site,
  report: ImportReport,
): Promise<ImportedComment[]> {
  const raws = rawComments(item, postId, report);
  const authorsById = new Map([...site.authors.values()].map((a) => [a.id, a]));
  // Accounts first (one lookup per person), then the comments, which need no more awaiting.
  const accounts = await commentAccounts(raws, authorsById, site);
  const thread: CommentThread = {
    postId,
    post,
    byId: new Map(raws.map((r) => [r.id, r])),
    numbers: new Map(raws.map((r, i) => [r.id, i + 1])),
    built: new Map(),
    accounts,
    authorsById,
    columnist,
    report,
  };
  const comments = raws.map((raw, i) => buildComment(thread, raw, i + 1, new Set()));
  reportComments(comments, textOf(item, 'link'), post, report);
  return comments;
}

/** The item's comments the import takes, in their original order (the others are reported). */
function rawComments(item: XmlNode, postId: string, report: ImportReport): RawComment[] {
  const raws: RawComment[] = [];
  for (const node of item.children.filter((c) => c.name === 'wp:comment')) {
    const approved = textOf(node, 'wp:comment_approved');
    const type = textOf(node, 'wp:comment_type') || 'comment';
    const id = textOf(node, 'wp:comment_id');
    const reason = skipReason(type, approved);
    if (reason !== null) {
      report.skipRecord(
        type,
        reason,
        `post ${postId}, ${type} ${id}: ${reason.replace(/s\b/, '')}; not imported`,
      );
      continue;
    }
    const date =
      parseDate(textOf(node, 'wp:comment_date_gmt')) ??
      parseDate(textOf(node, 'wp:comment_date')) ??
      new Date(0);
    raws.push({
      id,
      parent: textOf(node, 'wp:comment_parent'),
      node,
      date,
      status: approved === '1' ? 'visible' : 'pending',
    });
  }
  // Comment numbers follow the original order.
  raws.sort((a, b) => a.date.getTime() - b.date.getTime() || Number(a.id) - Number(b.id));
  return raws;
}

/** Why a comment is not imported (the report's reason), or null when it is. */
function skipReason(type: string, approved: string): string | null {
  if (type === 'pingback' || type === 'trackback') return `${type}s`;
  if (type !== 'comment') return `comments of type “${type}”`;
  if (approved === 'spam') return 'spam comments';
  if (approved === 'trash' || approved === 'post-trashed') return 'trashed comments';
  if (approved === '1' || approved === '0') return null;
  return `comments with status “${approved || 'none'}”`;
}

/** The accounts of registered commenters, by WordPress user id (one lookup per person). */
async function commentAccounts(
  raws: RawComment[],
  authorsById: Map<string, Author>,
  site: Site,
): Promise<Map<string, Types.ObjectId>> {
  const accounts = new Map<string, Types.ObjectId>();
  for (const raw of raws) {
    const userId = textOf(raw.node, 'wp:comment_user_id');
    if (!userId || userId === '0' || accounts.has(userId)) continue;
    const asAuthor = authorsById.get(userId);
    accounts.set(
      userId,
      await site.accounts.account(`wordpress:user:${userId}`, {
        name: asAuthor?.displayName || textOf(raw.node, 'wp:comment_author') || `Reader ${userId}`,
        email: asAuthor?.email || textOf(raw.node, 'wp:comment_author_email'),
        role: asAuthor ? 'editor' : 'commenter',
      }),
    );
  }
  return accounts;
}

/** The comment, built once (its parent first). */
function buildComment(
  thread: CommentThread,
  raw: RawComment,
  number: number,
  seen: Set<string>,
): ImportedComment {
  const existing = thread.built.get(raw.id);
  if (existing) return existing;
  const _id = idFor(`wordpress:comment:${thread.postId}:${raw.id}`, raw.date);
  const parent = parentOf(thread, raw, seen);
  const content = textOf(raw.node, 'wp:comment_content');
  const comment: ImportedComment = {
    _id,
    sourceKey: `wordpress:comment:${thread.postId}:${raw.id}`,
    post: thread.post._id,
    ...lineageOf(_id, parent),
    number,
    ...commentAuthor(thread, raw.node),
    bodySource: content,
    bodyHtml: sanitizeCommentHtml(autop(content)) || '<p>(empty)</p>',
    status: raw.status,
    heldReason: raw.status === 'pending' ? 'unapproved in WordPress' : '',
    createdAt: raw.date,
    updatedAt: raw.date,
  };
  thread.built.set(raw.id, comment);
  return comment;
}

/** The comment's parent, built first; undefined (and reported) when it is missing or in a loop. */
function parentOf(thread: CommentThread, raw: RawComment, seen: Set<string>): ImportedComment | undefined {
  if (!raw.parent || raw.parent === '0') return undefined;
  const parentRaw = thread.byId.get(raw.parent);
  if (!parentRaw || seen.has(raw.parent)) {
    thread.report.problem(
      `post ${thread.postId}, comment ${raw.id}: parent ${raw.parent} is missing; attached to the post`,
    );
    return undefined;
  }
  return buildComment(thread, parentRaw, thread.numbers.get(parentRaw.id)!, new Set([...seen, raw.id]));
}

/** Who wrote the comment: the columnist, a reader with an account, or a guest. */
function commentAuthor(
  thread: CommentThread,
  node: XmlNode,
): Pick<ImportedComment, 'authorName' | 'authorEmail' | 'authorUrl' | 'authorKind' | 'authorUser'> {
  const name = textOf(node, 'wp:comment_author') || 'Anonymous';
  const email = textOf(node, 'wp:comment_author_email').toLowerCase();
  const userId = textOf(node, 'wp:comment_user_id');
  const { author, authorAccount } = thread.columnist;
  const isAuthor = isColumnist(thread, userId, email);
  const account = thread.accounts.get(userId) ?? (isAuthor ? authorAccount : null);
  return {
    authorName: isAuthor ? thread.authorsById.get(userId)?.displayName || author?.displayName || name : name,
    authorEmail: email,
    authorUrl: textOf(node, 'wp:comment_author_url'),
    authorKind: isAuthor ? 'columnist' : account ? 'member' : 'guest',
    authorUser: account ?? null,
  };
}

/** Whether one of the export's authors wrote the comment, or the post's author (by id or email). */
function isColumnist(thread: CommentThread, userId: string, email: string): boolean {
  const { author } = thread.columnist;
  const byAuthor = userId !== '' && thread.authorsById.has(userId);
  return (
    byAuthor ||
    (Boolean(author) &&
      ((author!.id !== '' && userId === author!.id) || (author!.email !== '' && email === author!.email)))
  );
}

/** Counts the comments by state, and maps their old addresses (under the post's link) to the new. */
function reportComments(
  comments: ImportedComment[],
  link: string,
  post: Pick<Post, 'slug'>,
  report: ImportReport,
): void {
  for (const comment of comments) {
    report.state('comment', comment.status === 'visible' ? 'visible' : 'held');
    if (link) {
      const wpId = comment.sourceKey.split(':').pop();
      report.url(`${link}#comment-${wpId}`, `/posts/${post.slug}/comments/${String(comment._id)}`);
    }
  }
}
