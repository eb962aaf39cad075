import { Types } from 'mongoose';
import { Thread, type ShownComment } from '../../../../server/services/comments/thread';

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function shown(
  number: number,
  parent: ShownComment | undefined,
  status: ShownComment['status'] = 'visible',
): ShownComment {
  const _id = new Types.ObjectId();
  return {
    _id,
    post: new Types.ObjectId('6b0945748000000000000001'),
    parent: parent?._id ?? null,
    ancestors: parent ? [...parent.ancestors, parent._id] : [],
    root: parent ? parent.root : _id,
    depth: parent ? parent.depth + 1 : 0,
    number,
    authorName: `Reader ${number}`,
    authorKind: 'guest',
    authorUser: null,
    notifyReplies: false,
    bodyHtml: `<p>${number}</p>`,
    status,
    createdAt: new Date(Date.UTC(2026, 0, 1) + number * 1000),
    editedAt: null,
    locked: false,
    heldReason: '',
    likeCount: 0,
  };
}

const treesBuilt = (thread: Thread) => (thread as unknown as { trees: Map<string, unknown> }).trees.size;

/** Everything the page and the live updates read of where comments are shown. */
function layout(thread: Thread, ids: string[]) {
  return ids.map((id) => {
    const placed = thread.placement(id);
    return placed
      ? {
          id,
          hostId: placed.hostId,
          displayDepth: placed.node.displayDepth,
          replyingTo: placed.node.replyingTo,
          oldest: thread.rootPosition(id, 'oldest'),
          newest: thread.rootPosition(id, 'newest'),
        }
      : { id, hidden: true };
  });
}

describe('Thread.with: a write adds one comment without rebuilding the thread', () => {
  it.each([1, 2, 3, 5])(
    'places every comment as a full rebuild would (depth cap %i, random threads)',
    (maxDepth) => {
      for (const seed of [1, 7, 42]) {
        const next = random(seed * 100 + maxDepth);
        // An existing thread with tombstones and held comments, read once (the tree built).
        const start: ShownComment[] = [];
        for (let n = 1; n <= 30; n += 1) {
          const parent =
            next() < 0.3 || start.length === 0 ? undefined : start[Math.floor(next() * start.length)];
          const roll = next();
          start.push(shown(n, parent, roll < 0.1 ? 'removed' : roll < 0.2 ? 'pending' : 'visible'));
        }
        let thread = new Thread(start, maxDepth);
        thread.placement(String(start[0]._id));
        const all = [...start];
        // New comments, replies to visible ones or top level, some held, as writers post them.
        for (let n = 31; n <= 130; n += 1) {
          const visible = all.filter((c) => c.status === 'visible');
          const parent =
            next() < 0.25 || visible.length === 0 ? undefined : visible[Math.floor(next() * visible.length)];
          const comment = shown(n, parent, next() < 0.1 ? 'pending' : 'visible');
          all.push(comment);
          thread = thread.with(comment);
          const ids = all.map((c) => String(c._id));
          expect(layout(thread, ids)).toEqual(layout(new Thread(all, maxDepth), ids));
          // …and the new version answered without building its tree.
          expect(treesBuilt(thread)).toBe(0);
          expect(thread.visible).toEqual(all.filter((c) => c.status === 'visible'));
          expect(thread.byId(String(comment._id))).toBe(comment);
        }
      }
    },
  );

  it('leaves the thread it was made from unchanged', () => {
    const a = shown(1, undefined);
    const before = new Thread([a], 5);
    const treeBefore = before.tree('oldest');
    before.placement(String(a._id));
    const after = before.with(shown(2, a));
    expect(after.tree('oldest')[0].children).toHaveLength(1);
    expect(before.tree('oldest')).toBe(treeBefore);
    expect(treeBefore[0].children).toHaveLength(0);
    expect(before.comments).toHaveLength(1);
  });
});

describe('Thread.withChange and the most liked order', () => {
  it('orders top-level comments by likes, ties oldest first, replies oldest first; positions agree with the tree', () => {
    const a = shown(1, undefined);
    const b = shown(2, undefined);
    const c = shown(3, undefined);
    const d = shown(4, undefined);
    const replyToA = shown(5, a);
    let thread = new Thread([a, b, c, d, replyToA], 5);
    thread.placement(String(a._id));
    thread = thread.withChange(String(c._id), { likeCount: 4 });
    thread = thread.withChange(String(b._id), { likeCount: 1 });
    thread = thread.withChange(String(replyToA._id), { likeCount: 9 });
    const top = thread.tree('top');
    expect(top.map((n) => n.number)).toEqual([3, 2, 1, 4]);
    expect(top[2].children.map((n) => n.number)).toEqual([5]);
    // Where a comment is shown in the order: a reply by its top-level comment.
    expect(thread.rootPosition(String(replyToA._id), 'top')).toBe(2);
    expect(thread.rootPosition(String(d._id), 'top')).toBe(3);
    // Changed in place: the same layout as a thread read fresh with those counts.
    const fresh = new Thread(thread.comments, 5);
    const ids = thread.comments.map((x) => String(x._id));
    expect(layout(thread, ids)).toEqual(layout(fresh, ids));
    expect(thread.placement(String(c._id))!.node.likeCount).toBe(4);
    expect(thread.byId(String(c._id))!.likeCount).toBe(4);
    expect(thread.visible.find((x) => x.number === 3)!.likeCount).toBe(4);
  });

  it('leaves the thread it was made from unchanged', () => {
    const a = shown(1, undefined);
    const before = new Thread([a], 5);
    before.placement(String(a._id));
    const after = before.withChange(String(a._id), { likeCount: 2 });
    expect(before.byId(String(a._id))!.likeCount).toBe(0);
    expect(before.placement(String(a._id))!.node.likeCount).toBe(0);
    expect(after.tree('top')[0].likeCount).toBe(2);
  });
});
