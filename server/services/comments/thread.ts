import type { Comment } from '../../../models/comment.js';
import {
  buildThreadTree,
  placeNewest,
  type Placement,
  type ThreadNode,
  type TreeOrder,
} from './thread-tree.js';

export type ThreadOrder = TreeOrder;

/** A comment as pages and the API show it: no email, no source. */
export type ShownComment = Pick<
  Comment,
  | '_id'
  | 'notifyReplies'
  | 'post'
  | 'parent'
  | 'ancestors'
  | 'root'
  | 'depth'
  | 'number'
  | 'authorName'
  | 'authorKind'
  | 'bodyHtml'
  | 'status'
  | 'createdAt'
  | 'authorUser'
  | 'editedAt'
  | 'locked'
  | 'heldReason'
  | 'featuredAt'
  | 'likeCount'
>;

const TOMBSTONES = new Set(['deleted', 'removed']);

/**
 * One read of a post's comments (all statuses, posting order) with what is
 * derived from it computed once and kept alongside: the visible comments and
 * the tree in each order. Cached threads are shared by concurrent requests,
 * so nothing here is mutated after it is built: each version of a thread is
 * its own object, which is what caches of derived values (views, rendered
 * HTML) key on.
 */
export class Thread {
  private visibleList: ShownComment[] | undefined;
  /** The held comments (few, usually none): asked on every signed-in page, for its reader's own. */
  private pendingList: ShownComment[] | undefined;
  private readonly trees = new Map<ThreadOrder, ThreadNode<ShownComment>[]>();
  /** Where each comment of the public tree is shown, and the top-level ids in posting order. */
  private hosts: Map<string, Placement<ShownComment>> | undefined;
  private rootIds: string[] | undefined;
  private rootPos: Map<string, number> | undefined;
  /** Top-level ids' places in the Top order (built when first asked). */
  private topPos: Map<string, number> | undefined;

  constructor(
    readonly comments: ShownComment[],
    private readonly maxDepth: number,
  ) {}

  private index: Map<string, ShownComment> | undefined;

  /**
   * This thread with one more comment (the newest), as a new Thread: cached threads are never
   * changed. What is cheap to carry over is carried over (the visible list, the index, where each
   * comment is shown), so that a write costs what the new comment costs; the trees and rendered
   * pages of the new version are built when a page is read.
   */
  with(...added: ShownComment[]): Thread {
    const next = new Thread([...this.comments, ...added], this.maxDepth);
    if (this.visibleList) {
      next.visibleList = [...this.visibleList, ...added.filter((c) => c.status === 'visible')];
    }
    if (this.index) {
      next.index = new Map(this.index);
      for (const c of added) next.index.set(String(c._id), c);
    }
    if (this.hosts && this.rootIds && this.rootPos) {
      const hosts = new Map(this.hosts);
      const rootIds = [...this.rootIds];
      const rootPos = new Map(this.rootPos);
      for (const comment of added) {
        // Held or hidden: the public tree does not change.
        if (comment.status !== 'visible') continue;
        const placed = placeNewest(comment, hosts, this.maxDepth);
        if (!placed) return next; // an unusual place: the new version builds its tree when read
        const id = String(comment._id);
        hosts.set(id, placed);
        if (placed.hostId === null) {
          rootPos.set(id, rootIds.length);
          rootIds.push(id);
        }
      }
      next.hosts = hosts;
      next.rootIds = rootIds;
      next.rootPos = rootPos;
    }
    return next;
  }

  /**
   * This thread with one comment's shown fields changed in place (its likes), as a new Thread. The
   * thread's shape does not change, so where each comment is shown is carried over; the trees and
   * pages of the new version are built when read.
   */
  withChange(commentId: string, set: Partial<ShownComment>): Thread {
    const swap = (c: ShownComment) => (String(c._id) === commentId ? { ...c, ...set } : c);
    const next = new Thread(this.comments.map(swap), this.maxDepth);
    if (this.visibleList) next.visibleList = this.visibleList.map(swap);
    if (this.hosts && this.rootIds && this.rootPos) {
      next.hosts = new Map(this.hosts);
      const placed = this.hosts.get(commentId);
      if (placed) next.hosts.set(commentId, { ...placed, node: { ...placed.node, ...set } });
      next.rootIds = this.rootIds;
      next.rootPos = this.rootPos;
    }
    return next;
  }

  byId(id: string): ShownComment | undefined {
    this.index ??= new Map(this.comments.map((c) => [String(c._id), c]));
    return this.index.get(id);
  }

  /** Highest number in use, including comments not shown. */
  get lastNumber(): number {
    return this.comments[this.comments.length - 1]?.number ?? 0;
  }

  get visible(): ShownComment[] {
    this.visibleList ??= this.comments.filter((c) => c.status === 'visible');
    return this.visibleList;
  }

  /** The columnist's picks that readers can see, the newest pick first (read from the thread in memory). */
  get featured(): ShownComment[] {
    return this.visible
      .filter((c) => c.featuredAt)
      .sort((a, b) => new Date(b.featuredAt!).getTime() - new Date(a.featuredAt!).getTime());
  }

  /**
   * Visible comments and the tombstones of deleted or removed ones that still
   * have replies shown under them, so a conversation keeps its shape.
   */
  tree(order: ThreadOrder): ThreadNode<ShownComment>[] {
    let roots = this.trees.get(order);
    if (!roots) {
      roots = this.treeWith(order, () => false);
      this.trees.set(order, roots);
    }
    return roots;
  }

  /** Held comments some viewer may see (their own; all of them for moderators). */
  heldFor(viewer: Viewer): ShownComment[] {
    this.pendingList ??= this.comments.filter((c) => c.status === 'pending');
    return this.pendingList.filter((c) => canSeeHeld(viewer, c));
  }

  /**
   * The tree as one viewer sees it: the public tree plus the held comments
   * they may see. Built per request, and only for viewers who have any.
   */
  treeFor(order: ThreadOrder, viewer: Viewer): ThreadNode<ShownComment>[] {
    if (this.heldFor(viewer).length === 0) return this.tree(order);
    return this.treeWith(order, (c) => canSeeHeld(viewer, c));
  }

  private treeWith(order: ThreadOrder, showHeld: (c: ShownComment) => boolean): ThreadNode<ShownComment>[] {
    const shown = this.comments.filter(
      (c) => c.status === 'visible' || TOMBSTONES.has(c.status) || (c.status === 'pending' && showHeld(c)),
    );
    return prune(buildThreadTree(shown, this.maxDepth, order));
  }

  /** Where a comment is shown: its node and the id of the comment it is displayed under (null at the top). */
  placement(commentId: string): Placement<ShownComment> | undefined {
    return this.placements().hosts.get(commentId);
  }

  /**
   * The position, among the public tree's top-level entries in this order, of the entry that
   * shows a comment (itself, or the one it hangs under); undefined when it is not shown.
   */
  rootPosition(commentId: string, order: ThreadOrder): number | undefined {
    const { hosts, rootIds, rootPos } = this.placements();
    let id = commentId;
    let placed = hosts.get(id);
    if (!placed) return undefined;
    while (placed.hostId !== null) {
      id = placed.hostId;
      placed = hosts.get(id)!;
    }
    if (order === 'top') {
      this.topPos ??= new Map(this.tree('top').map((root, i) => [String(root._id), i]));
      return this.topPos.get(id);
    }
    const pos = rootPos.get(id)!;
    return order === 'oldest' ? pos : rootIds.length - 1 - pos;
  }

  private placements() {
    if (!this.hosts || !this.rootIds || !this.rootPos) {
      const hosts = new Map<string, Placement<ShownComment>>();
      const walk = (nodes: ThreadNode<ShownComment>[], hostId: string | null) => {
        for (const node of nodes) {
          const id = String(node._id);
          hosts.set(id, { node, hostId });
          walk(node.children, id);
        }
      };
      const roots = this.tree('oldest');
      walk(roots, null);
      this.hosts = hosts;
      this.rootIds = roots.map((r) => String(r._id));
      this.rootPos = new Map(this.rootIds.map((id, i) => [id, i]));
    }
    return { hosts: this.hosts, rootIds: this.rootIds!, rootPos: this.rootPos! };
  }
}

/** Who is looking: held comments are shown to their author and to moderators only. */
export interface Viewer {
  userId?: string;
  /** Held comments this browser wrote as a guest (kept in its session). */
  heldIds?: string[];
  moderator?: boolean;
}

function canSeeHeld(viewer: Viewer, comment: ShownComment): boolean {
  if (viewer.moderator) return true;
  if (viewer.userId && comment.authorUser && String(comment.authorUser) === viewer.userId) return true;
  return Boolean(viewer.heldIds?.includes(String(comment._id)));
}

/** Drops tombstones with nothing shown under them, bottom up. */
function prune(nodes: ThreadNode<ShownComment>[]): ThreadNode<ShownComment>[] {
  return nodes.filter((node) => {
    node.children = prune(node.children);
    return !TOMBSTONES.has(node.status) || node.children.length > 0;
  });
}
