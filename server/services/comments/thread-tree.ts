import type { Types } from 'mongoose';
import type { TreeOrder } from '../../lib/thread-url.js';

export type { TreeOrder };

/** The fields tree assembly needs; lean comment documents have them. */
export interface ThreadComment {
  _id: Types.ObjectId;
  /** deleted and removed comments are not named in their replies' "replying to". */
  status?: string;
  parent?: Types.ObjectId | null;
  ancestors: Types.ObjectId[];
  depth: number;
  number: number;
  authorName: string;
  /** Readers' likes: the Top order's key. */
  likeCount?: number;
}

export type ThreadNode<C extends ThreadComment = ThreadComment> = C & {
  /** Nesting level as displayed (0 = top level), capped by maxDepth. */
  displayDepth: number;
  /** Set when the node is shown away from its real parent (depth cap or missing parent). */
  replyingTo: { id: string; number: number; authorName: string } | null;
  /** True when an ancestor could not be found and the node was re-attached higher up. */
  orphaned: boolean;
  children: ThreadNode<C>[];
};

/**
 * Builds the displayed tree in linear time. Input: one post's comments in any
 * order. Roots come out in `number` order (reversed for newest first; most
 * liked first for top, ties oldest first); replies are always oldest first. Comments deeper than `maxDepth` levels hang under
 * their deepest shown ancestor with a "replying to" note; a comment whose
 * parent is absent hangs under its nearest present ancestor, or at the top.
 */
export function buildThreadTree<C extends ThreadComment>(
  comments: C[],
  maxDepth: number,
  order: TreeOrder = 'oldest',
): ThreadNode<C>[] {
  if (!Number.isInteger(maxDepth) || maxDepth < 1)
    throw new RangeError('maxDepth must be a positive integer');
  const sorted = [...comments].sort((a, b) => a.number - b.number);
  const nodes = new Map<string, ThreadNode<C>>();
  for (const comment of sorted) {
    nodes.set(String(comment._id), {
      ...comment,
      displayDepth: 0,
      replyingTo: null,
      orphaned: false,
      children: [],
    });
  }

  const roots: ThreadNode<C>[] = [];
  const shownUnder = new Map<ThreadNode<C>, ThreadNode<C>>();
  // Sorted by number, so every parent is placed before its replies.
  for (const comment of sorted) {
    const node = nodes.get(String(comment._id))!;
    const chain = comment.parent ? [...comment.ancestors] : [];
    if (comment.parent && String(chain[chain.length - 1]) !== String(comment.parent))
      chain.push(comment.parent);

    // Nearest ancestor that is present, walking up from the real parent.
    let attachIndex = chain.length - 1;
    while (attachIndex >= 0 && !nodes.has(String(chain[attachIndex]))) attachIndex -= 1;
    node.orphaned = attachIndex < chain.length - 1;

    let host = attachIndex >= 0 ? nodes.get(String(chain[attachIndex]))! : undefined;
    // The depth cap: show at most maxDepth levels, so a host must sit above the last one.
    while (host && host.displayDepth >= maxDepth - 1) host = shownUnder.get(host);

    const realParent = comment.parent ? nodes.get(String(comment.parent)) : undefined;
    if (realParent && realParent !== host) {
      node.replyingTo = {
        id: String(realParent._id),
        number: realParent.number,
        authorName: shownName(realParent),
      };
    }
    if (host) {
      node.displayDepth = host.displayDepth + 1;
      host.children.push(node);
      shownUnder.set(node, host);
    } else {
      roots.push(node);
    }
  }
  if (order === 'top') return roots.sort(byLikes);
  return order === 'newest' ? roots.reverse() : roots;
}

/** Most liked first; equal likes, oldest first (a stable order a page can be cut from). */
export function byLikes(a: ThreadComment, b: ThreadComment): number {
  return (b.likeCount ?? 0) - (a.likeCount ?? 0) || a.number - b.number;
}

/** Where a node is shown: the node, and the id of the node it is shown under (null at the top). */
export interface Placement<C extends ThreadComment = ThreadComment> {
  node: ThreadNode<C>;
  hostId: string | null;
}

/**
 * Places a new comment, newer than every placed one, as buildThreadTree would place it, from the
 * placements of the comments already shown (by id). Undefined when its parent is not shown (the
 * caller then builds the tree again): only the common case is done here, with the same rules.
 */
export function placeNewest<C extends ThreadComment>(
  comment: C,
  placed: ReadonlyMap<string, Placement<C>>,
  maxDepth: number,
): Placement<C> | undefined {
  const node: ThreadNode<C> = {
    ...comment,
    displayDepth: 0,
    replyingTo: null,
    orphaned: false,
    children: [],
  };
  if (!comment.parent) return { node, hostId: null };
  const parentId = String(comment.parent);
  const realParent = placed.get(parentId);
  if (!realParent) return undefined;
  let host: Placement<C> | undefined = realParent;
  let hostId: string | null = parentId;
  // The depth cap: show at most maxDepth levels, so a host must sit above the last one.
  while (host && host.node.displayDepth >= maxDepth - 1) {
    hostId = host.hostId;
    host = hostId === null ? undefined : placed.get(hostId);
  }
  if (host !== realParent) {
    node.replyingTo = {
      id: parentId,
      number: realParent.node.number,
      authorName: shownName(realParent.node),
    };
  }
  if (host) node.displayDepth = host.node.displayDepth + 1;
  return { node, hostId: host ? hostId : null };
}

/** The name a reply shows for the comment it answers: none for a deleted or removed one. */
function shownName(comment: ThreadComment): string {
  if (comment.status === 'deleted') return 'a deleted comment';
  if (comment.status === 'removed') return 'a removed comment';
  return comment.authorName;
}
