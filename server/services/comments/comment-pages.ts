import type { FilterQuery } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { findComments, countComments } from './comment-store.js';
import type { Post } from '../../../models/post.js';

type ListedPost = Pick<Post, '_id' | 'slug' | 'title' | 'status'>;

/**
 * A page of comments newest first, with the posts they are on (a profile's comments, an account's
 * replies): read in the order of an index ending in `_id`, so a page reads only itself. Comments on
 * a post taken back to draft (or deleted) are left out.
 */
export async function commentPage<F extends keyof Comment>(
  filter: FilterQuery<Comment>,
  page: number,
  perPage: number,
  fields: F[],
): Promise<{ total: number; comments: (Pick<Comment, F | '_id'> & { post: ListedPost })[] }> {
  const [total, comments] = await Promise.all([
    countComments(filter),
    findComments(filter)
      .sort({ _id: -1 })
      .skip((page - 1) * perPage)
      .limit(perPage)
      .select(['_id', 'post', ...fields].join(' '))
      .populate<{ post: ListedPost | null }>('post', 'slug title status')
      .lean(),
  ]);
  const shown = comments.filter((c) => c.post?.status === 'published');
  return { total, comments: shown as unknown as (Pick<Comment, F | '_id'> & { post: ListedPost })[] };
}
