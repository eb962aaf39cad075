import type { Types } from 'mongoose';
import type { Post } from '../../models/post.js';
import { toCommentView } from '../services/comments/comment-view.js';
import type { Services } from '../services/index.js';
import { publicContext, type ThreadFragments } from '../rendering/thread-fragments.js';
import type { Thread } from '../services/comments/thread.js';

/** What a live update carries: enough for the page to put the comment in its place. */
export interface LiveComment {
  id: string;
  number: number;
  /** The comment it is shown under (after the depth cap), or null for top level. */
  parentId: string | null;
  html: string;
  status: string;
}

/**
 * Renders one comment with the page's own partial, as it stands in the
 * thread now; undefined when readers are not shown it.
 */
export function renderLiveComment(
  fragments: ThreadFragments,
  post: Pick<Post, 'slug' | 'commentStatus'>,
  thread: Thread,
  commentId: string,
): LiveComment | undefined {
  const placed = thread.placement(commentId);
  if (!placed) return undefined;
  const view = toCommentView({ ...placed.node, children: [] }, post.slug);
  const html = fragments.one(view, publicContext(`/posts/${post.slug}`, post.commentStatus === 'open'));
  return { id: view.id, number: view.number, parentId: placed.hostId, html, status: placed.node.status };
}

/** The post and its current thread: the post as given (fresh from the write), else read by id. */
export async function loadLiveThread(
  services: Pick<Services, 'posts' | 'comments'>,
  postId: Types.ObjectId | string,
  known?: Post,
) {
  const post = known ?? (await services.posts.getById(String(postId)));
  const thread = await services.comments.loadThread(post);
  return { post, thread };
}

/** Where pages that list posts (the home page) hear of comment counts. */
export const LISTING_ROOM = 'listing';

export function roomFor(postId: Types.ObjectId | string): string {
  return `post:${String(postId)}`;
}

/** The room of one account's sockets (its header's live count of unread replies). */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** The room of moderators' sockets (the queues' counts in their header). */
export const MODERATORS_ROOM = 'moderators';
