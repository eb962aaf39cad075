import type { ShownComment } from './thread.js';
import type { ThreadNode } from './thread-tree.js';

/** A comment as templates, the API and live updates present it. */
export interface CommentView {
  id: string;
  number: number;
  parentId: string | null;
  depth: number;
  displayDepth: number;
  authorName: string;
  /** Profile link for registered commenters. */
  authorUrl: string | null;
  /** Lets the page show Edit and Delete to the author alone. */
  authorUserId: string | null;
  isColumnist: boolean;
  isStaff: boolean;
  isLetterWriter: boolean;
  /** Deleted by its author or removed by a moderator: shown as a tombstone, no name, no text. */
  tombstone: string | null;
  edited: boolean;
  /** Held for moderation: shown only to its author and to moderators, marked as such. */
  status: string;
  pending: boolean;
  heldReason: string;
  locked: boolean;
  /** One of the columnist's picks. */
  featured: boolean;
  /** How many readers like it. */
  likes: number;
  /** This comment or one above it is locked: no Reply link. */
  repliesLocked: boolean;
  createdAt: string;
  bodyHtml: string;
  permalink: string;
  replyingTo: { id: string; number: number; authorName: string } | null;
  children: CommentView[];
}

export function commentPermalink(postSlug: string, commentId: string): string {
  return `/posts/${postSlug}/comments/${commentId}`;
}

const TOMBSTONE_TEXT: Record<string, string> = {
  deleted: 'Comment deleted by its author.',
  removed: 'This comment has been removed by a moderator.',
};

export function toCommentView(
  node: ThreadNode<ShownComment>,
  postSlug: string,
  lockedAbove = false,
): CommentView {
  const repliesLocked = lockedAbove || Boolean(node.locked);
  const id = String(node._id);
  const tombstone = TOMBSTONE_TEXT[node.status] ?? null;
  return {
    id,
    number: node.number,
    parentId: node.parent ? String(node.parent) : null,
    depth: node.depth,
    displayDepth: node.displayDepth,
    authorName: tombstone ? '' : node.authorName,
    authorUrl: node.authorUser && !tombstone ? `/users/${encodeURIComponent(node.authorName)}` : null,
    authorUserId: node.authorUser && !tombstone ? String(node.authorUser) : null,
    isColumnist: !tombstone && node.authorKind === 'columnist',
    isStaff: !tombstone && node.authorKind === 'staff',
    isLetterWriter: !tombstone && node.authorKind === 'letter-writer',
    tombstone,
    edited: Boolean(node.editedAt) && !tombstone,
    status: node.status,
    pending: node.status === 'pending',
    heldReason: node.status === 'pending' ? (node.heldReason ?? '') : '',
    locked: Boolean(node.locked),
    featured: Boolean(node.featuredAt) && !tombstone,
    likes: tombstone ? 0 : (node.likeCount ?? 0),
    repliesLocked,
    createdAt: new Date(node.createdAt).toISOString(),
    bodyHtml: tombstone ? '' : node.bodyHtml,
    permalink: commentPermalink(postSlug, id),
    replyingTo: node.replyingTo,
    children: node.children.map((child) => toCommentView(child, postSlug, repliesLocked)),
  };
}
