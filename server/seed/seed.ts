import { hashPassword } from '../lib/passwords.js';
import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { deleteCommentsOf, insertComments } from '../services/comments/comment-store.js';
import { PostModel } from '../../models/post.js';
import { UserModel } from '../../models/user.js';
import { nameKey } from '../lib/name-key.js';
import { syncListing } from '../services/posts/post-listing.js';
import { plainExcerpt, renderPostMarkdown } from '../lib/markdown.js';
import { DEMO_POSTS, COLUMNIST } from './demo-posts.js';
import { seedStaffDemo } from './staff-demo.js';
import { generateThread } from './generate.js';
import { SearchIndex } from '../services/search/search-index.js';

export interface SeedReport {
  posts: number;
  comments: number;
  skipped: string[];
}

type Progress = (message: string) => void;

const DAY = 24 * 3600 * 1000;

/**
 * The columnist's account (an editor), so the demo columnist comments belong
 * to a real account like any other staff comment. Its password is random:
 * `npm run create-admin -- --username "Marisol Vance"` sets one.
 */
async function columnistAccount(): Promise<Types.ObjectId> {
  const existing = await UserModel.findOne({ usernameLower: COLUMNIST.toLowerCase() }).select('_id').lean();
  if (existing) return existing._id;
  const user = await UserModel.create({
    username: COLUMNIST,
    usernameLower: COLUMNIST.toLowerCase(),
    nameKey: nameKey(COLUMNIST),
    passwordHash: await hashPassword(randomBytes(24).toString('hex'), 10),
    role: 'editor',
  });
  return user._id;
}

/**
 * Writes the demo posts and their threads. Idempotent by slug: a post that
 * exists is left alone. A post's comments are written before the post is
 * published, so an interrupted seed never shows a half-built thread; the
 * next run removes the leftovers and starts that post again.
 */
export async function seedDemoContent(
  progress: Progress = () => undefined,
  now = new Date(),
): Promise<SeedReport> {
  const report: SeedReport = { posts: 0, comments: 0, skipped: [] };
  const columnistId = await columnistAccount();
  for (const [index, demo] of DEMO_POSTS.entries()) {
    const existing = await PostModel.findOne({ slug: demo.slug }).select('_id status').lean();
    if (existing?.status === 'published') {
      report.skipped.push(demo.slug);
      continue;
    }
    if (existing) {
      await deleteCommentsOf(existing._id);
      await PostModel.deleteOne({ _id: existing._id });
    }
    const publishedAt = new Date(now.getTime() - demo.daysAgo * DAY);
    const letterHtml = renderPostMarkdown(demo.letter);
    const post = await PostModel.create({
      title: demo.title,
      slug: demo.slug,
      letterSource: demo.letter,
      letterHtml,
      answerSource: demo.answer,
      answerHtml: renderPostMarkdown(demo.answer),
      excerpt: plainExcerpt(letterHtml),
      tags: demo.tags,
      authorName: COLUMNIST,
      authorNameKey: nameKey(COLUMNIST),
      status: 'draft',
      publishedAt,
      commentStatus: demo.commentStatus,
      threadVersion: randomBytes(8).toString('hex'),
    });
    const comments = generateThread({
      post: post._id,
      slug: demo.slug,
      count: demo.comments,
      topLevelShare: demo.topLevelShare,
      start: new Date(publishedAt.getTime() + 10 * 60000),
      columnist: COLUMNIST,
      seed: 1000 + index,
    });
    for (const comment of comments) if (comment.authorKind === 'columnist') comment.authorUser = columnistId;
    progress(`“${demo.title}”: writing ${comments.length} comments`);
    const batch = 250;
    for (let i = 0; i < comments.length; i += batch) {
      await insertComments(comments.slice(i, i + batch));
      const done = Math.min(i + batch, comments.length);
      if (comments.length > batch) progress(`  ${done} / ${comments.length} comments`);
    }
    await PostModel.updateOne(
      { _id: post._id },
      { $set: { status: 'published', commentCount: comments.filter((c) => c.status === 'visible').length } },
    );
    await syncListing({ ...post.toObject(), status: 'published' });
    report.posts += 1;
    report.comments += comments.length;
  }
  await seedStaffDemo(progress, now);
  // The demo content is written directly, not through the services: index it for search in one go.
  progress('indexing for search');
  await new SearchIndex().rebuild((message) => progress(`  search: ${message}`));
  return report;
}

/** Seeds only when there are no posts at all (first start). */
export async function seedIfEmpty(progress?: Progress): Promise<SeedReport | null> {
  // Not a count: on the embedded database a count reads every post.
  if (await PostModel.exists({})) return null;
  return seedDemoContent(progress);
}
