import type { ShownComment } from './comment-service.js';
import type { ThreadNode } from './thread-tree.js';

/** A comment as templates, the API and live updates present it. */
export interface CommentView {
  id: string;
  number: number;
  parentId: string | null;
  depth: number;
  displayDepth: number;
  authorName: string;
  isColumnist: boolean;
  createdAt: string;
  bodyHtml: string;
  permalink: string;
  replyingTo: { id: string; number: number; authorName: string } | null;
  children: CommentView[];
}

export function commentPermalink(postSlug: string, commentId: string): string {
  return `/posts/${postSlug}/comments/${commentId}`;
}

export function toCommentView(node: ThreadNode<ShownComment>, postSlug: string): CommentView {
  const id = String(node._id);
  return {
    id,
    number: node.number,
    parentId: node.parent ? String(node.parent) : null,
    depth: node.depth,
    displayDepth: node.displayDepth,
    authorName: node.authorName,
    isColumnist: node.authorKind === 'columnist',
    createdAt: new Date(node.createdAt).toISOString(),
    bodyHtml: node.bodyHtml,
    permalink: commentPermalink(postSlug, id),
    replyingTo: node.replyingTo,
    children: node.children.map((child) => toCommentView(child, postSlug)),
  };
}
