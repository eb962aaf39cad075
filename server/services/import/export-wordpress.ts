import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Comment } from '../../../models/comment.js';
import { findComments } from '../comments/comment-store.js';
import { PostModel, type Post } from '../../../models/post.js';

const WP_STATUS: Record<string, string> = { published: 'publish', scheduled: 'future', draft: 'draft' };
// Tombstones have no WordPress equivalent: they go out as trash (their replies re-attach to the post on import).
const WP_APPROVED: Record<string, string> = {
  visible: '1',
  pending: '0',
  removed: 'trash',
  deleted: 'trash',
};

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

function gmt(date: Date | null | undefined): string {
  return date ? new Date(date).toISOString().replace('T', ' ').slice(0, 19) : '0000-00-00 00:00:00';
}

/**
 * Writes every post and comment as WXR 1.2, which WordPress (and this
 * project's importer) reads back. Posts are written one at a time with their
 * comments, streamed to the file. Returns what was written.
 */
export async function exportWordpress(
  file: string,
  options: { siteTitle: string; siteUrl: string },
  progress: (message: string) => void = () => undefined,
): Promise<{ posts: number; comments: number }> {
  const out = createWriteStream(file, 'utf8');
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const base = options.siteUrl.replace(/\/$/, '');
  const posts = await PostModel.find({}).sort({ _id: 1 }).lean<Post[]>();
  const authors = [...new Set(posts.map((p) => p.authorName))];
  await write(channelXml(options.siteTitle, base));
  for (const [i, name] of authors.entries()) await write(authorXml(i + 1, name));
  let commentTotal = 0;
  for (const [index, post] of posts.entries()) {
    commentTotal += await writeItem(write, post, {
      index,
      base,
      authorId: authors.indexOf(post.authorName) + 1,
    });
    progress(`${index + 1} / ${posts.length} posts, ${commentTotal} comments`);
  }
  await write('</channel>\n</rss>\n');
  out.end();
  await once(out, 'finish');
  return { posts: posts.length, comments: commentTotal };
}

/** Writes a post's item with its comments; returns how many comments it has. */
async function writeItem(
  write: (text: string) => Promise<void>,
  post: Post,
  at: { index: number; base: string; authorId: number },
): Promise<number> {
  await write(itemXml(post, at.index, at.base));
  const comments = await findComments({ post: post._id })
    .select('+authorEmail +authorUrl')
    .sort({ number: 1 })
    .lean<Comment[]>();
  const numbers = new Map(comments.map((c) => [String(c._id), c.number]));
  for (const c of comments) await write(commentXml(c, numbers, at.authorId));
  await write('  </item>\n');
  return comments.length;
}

/** The file's head: the channel with the site's title and address. */
function channelXml(siteTitle: string, base: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>${esc(siteTitle)}</title>
  <link>${esc(base)}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>${esc(base)}</wp:base_site_url>
  <wp:base_blog_url>${esc(base)}</wp:base_blog_url>
`;
}

/** An author (by name: posts carry no account), numbered from 1. */
function authorXml(id: number, name: string): string {
  return `  <wp:author><wp:author_id>${id}</wp:author_id><wp:author_login>${cdata(name)}</wp:author_login><wp:author_email></wp:author_email><wp:author_display_name>${cdata(name)}</wp:author_display_name></wp:author>\n`;
}

/** A post's item up to its comments: its WordPress id when it came from WordPress, else its place. */
function itemXml(post: Post, index: number, base: string): string {
  const postId = /^wordpress:post:(\d+)$/.exec(post.sourceKey ?? '')?.[1] ?? String(index + 1);
  const content = `${post.letterHtml ? `<p>A reader writes:</p>\n<blockquote>${post.letterHtml}</blockquote>\n` : ''}${post.answerHtml}`;
  const tags = post.tags
    .map((tag) => `    <category domain="post_tag" nicename="${esc(tag)}">${cdata(tag)}</category>\n`)
    .join('');
  return `  <item>
    <title>${esc(post.title)}</title>
    <link>${esc(`${base}/posts/${post.slug}`)}</link>
    <dc:creator>${cdata(post.authorName)}</dc:creator>
    <guid isPermaLink="false">${esc(`${base}/?p=${postId}`)}</guid>
    <content:encoded>${cdata(content)}</content:encoded>
    <wp:post_id>${postId}</wp:post_id>
    <wp:post_date_gmt>${gmt(post.publishedAt)}</wp:post_date_gmt>
    <wp:post_name>${cdata(post.slug)}</wp:post_name>
    <wp:status>${WP_STATUS[post.status] ?? 'draft'}</wp:status>
    <wp:comment_status>${post.commentStatus}</wp:comment_status>
    <wp:post_type>post</wp:post_type>
${tags}`;
}

/** A comment, its parent by number; the columnist's as the post's author (`authorId`). */
function commentXml(c: Comment, numbers: Map<string, number>, authorId: number): string {
  return `    <wp:comment>
      <wp:comment_id>${c.number}</wp:comment_id>
      <wp:comment_author>${cdata(c.authorName)}</wp:comment_author>
      <wp:comment_author_email>${esc(c.authorEmail ?? '')}</wp:comment_author_email>
      <wp:comment_author_url>${esc(c.authorUrl ?? '')}</wp:comment_author_url>
      <wp:comment_date_gmt>${gmt(c.createdAt)}</wp:comment_date_gmt>
      <wp:comment_content>${cdata(c.bodyHtml)}</wp:comment_content>
      <wp:comment_approved>${WP_APPROVED[c.status] ?? '0'}</wp:comment_approved>
      <wp:comment_parent>${c.parent ? (numbers.get(String(c.parent)) ?? 0) : 0}</wp:comment_parent>
      <wp:comment_user_id>${c.authorKind === 'columnist' ? authorId : 0}</wp:comment_user_id>
    </wp:comment>
`;
}
