import { Types } from 'mongoose';
import { CommentModel } from '../../models/comment';
import { PostModel } from '../../models/post';
import { generateThread } from '../../server/seed/generate';

/**
 * A published post with a generated thread (the demo's comment text, several levels deep), written
 * straight to the connected database for a benchmark. Returns the post's id and the comments'
 * count and deepest level.
 */
export async function writeBenchThread(options: {
  slug: string;
  title: string;
  count: number;
  seed: number;
}): Promise<{ postId: Types.ObjectId; count: number; deepest: number }> {
  const postId = new Types.ObjectId();
  const comments = generateThread({
    post: postId,
    slug: 'coworker-presents-my-analysis-as-hers',
    count: options.count,
    topLevelShare: 0.2,
    start: new Date('2026-11-01T09:00:00Z'),
    columnist: 'Marisol Vance',
    seed: options.seed,
  });
  for (let i = 0; i < comments.length; i += 250) await CommentModel.insertMany(comments.slice(i, i + 250));
  await PostModel.create({
    _id: postId,
    title: options.title,
    slug: options.slug,
    letterSource: 'A letter.',
    letterHtml: '<p>A letter.</p>',
    answerSource: 'An answer.',
    answerHtml: '<p>An answer.</p>',
    excerpt: 'A letter.',
    authorName: 'Marisol Vance',
    status: 'published',
    publishedAt: new Date(),
    commentStatus: 'open',
    threadVersion: 'v1',
    commentCount: comments.length,
  });
  return { postId, count: comments.length, deepest: Math.max(...comments.map((c) => c.depth)) };
}
