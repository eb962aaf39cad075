import type { Types } from 'mongoose';
import { CommentModel } from '../../models/comment.js';
import { PostModel, type Post } from '../../models/post.js';
import type { Config } from '../config/index.js';
import { paging, type Paging } from './paging.js';

export type PostSummary = Pick<
  Post,
  '_id' | 'title' | 'slug' | 'excerpt' | 'tags' | 'authorName' | 'publishedAt' | 'commentStatus'
> & { commentCount: number };

export interface PostList {
  posts: PostSummary[];
  paging: Paging;
}

const SUMMARY_FIELDS = '_id title slug excerpt tags authorName publishedAt commentStatus';

export class PostService {
  constructor(private readonly config: Pick<Config, 'postsPerPage'>) {}

  /** Newest published posts, optionally with a tag, with their visible comment counts. */
  async listPublished(options: { page: number; tag?: string }): Promise<PostList> {
    const perPage = this.config.postsPerPage;
    const filter = { status: 'published', ...(options.tag && { tags: options.tag }) };
    const [total, posts] = await Promise.all([
      PostModel.countDocuments(filter),
      PostModel.find(filter)
        .sort({ publishedAt: -1, _id: -1 })
        .skip((options.page - 1) * perPage)
        .limit(perPage)
        .select(SUMMARY_FIELDS)
        .lean<PostSummary[]>(),
    ]);
    const counts = await this.commentCounts(posts.map((p) => p._id));
    for (const post of posts) post.commentCount = counts.get(String(post._id)) ?? 0;
    return { posts, paging: paging(options.page, perPage, total) };
  }

  /** Visible comments per post, in one aggregation ($sum is portable to FerretDB). */
  async commentCounts(postIds: Types.ObjectId[]): Promise<Map<string, number>> {
    if (postIds.length === 0) return new Map();
    const rows = await CommentModel.aggregate<{ _id: Types.ObjectId; count: number }>([
      { $match: { post: { $in: postIds }, status: 'visible' } },
      { $group: { _id: '$post', count: { $sum: 1 } } },
    ]);
    return new Map(rows.map((r) => [String(r._id), r.count]));
  }
}
