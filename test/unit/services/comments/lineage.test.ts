import { Types } from 'mongoose';
import { lineageOf, type Lineage } from '../../../../server/services/comments/lineage';

/** A comment's id with its lineage, as the parent of the next reply. */
function withId(_id: Types.ObjectId, lineage: Lineage) {
  return { _id, ...lineage };
}

describe('lineageOf', () => {
  it('makes a comment with no parent top level: its own root, depth 0, no ancestors', () => {
    const id = new Types.ObjectId();
    expect(lineageOf(id)).toEqual({ parent: null, ancestors: [], root: id, depth: 0 });
    expect(lineageOf(id, null)).toEqual({ parent: null, ancestors: [], root: id, depth: 0 });
    expect(lineageOf(id).root).toBe(id);
  });

  it('puts a reply under its parent: parent set, root kept, one deeper, parent last in ancestors', () => {
    const topId = new Types.ObjectId();
    const top = withId(topId, lineageOf(topId));
    const replyId = new Types.ObjectId();
    const reply = lineageOf(replyId, top);
    expect(reply).toEqual({ parent: topId, ancestors: [topId], root: topId, depth: 1 });
  });

  it('lists ancestors root first for a reply to a reply', () => {
    const a = new Types.ObjectId();
    const b = new Types.ObjectId();
    const c = new Types.ObjectId();
    const first = withId(a, lineageOf(a));
    const second = withId(b, lineageOf(b, first));
    const third = lineageOf(c, second);
    expect(third).toEqual({ parent: b, ancestors: [a, b], root: a, depth: 2 });
  });

  it('keeps depth equal to the number of ancestors and the root first, however deep', () => {
    const ids = Array.from({ length: 12 }, () => new Types.ObjectId());
    let parent: ReturnType<typeof withId> | null = null;
    for (const [i, id] of ids.entries()) {
      const lineage = lineageOf(id, parent);
      expect(lineage.depth).toBe(i);
      expect(lineage.ancestors).toHaveLength(i);
      expect(lineage.ancestors).toEqual(ids.slice(0, i));
      expect(lineage.root).toEqual(ids[0]);
      expect(lineage.parent).toEqual(i === 0 ? null : ids[i - 1]);
      parent = withId(id, lineage);
    }
  });

  it('does not change the parent’s ancestors (a new array each time)', () => {
    const a = new Types.ObjectId();
    const b = new Types.ObjectId();
    const top = withId(a, lineageOf(a));
    const before = [...top.ancestors];
    const reply = lineageOf(b, top);
    expect(top.ancestors).toEqual(before);
    expect(reply.ancestors).not.toBe(top.ancestors);

    // Two replies to the same parent get separate arrays.
    const sibling = lineageOf(new Types.ObjectId(), top);
    sibling.ancestors.push(new Types.ObjectId());
    expect(reply.ancestors).toEqual([a]);
  });

  it('copies the parent’s stored root and ancestors as they are', () => {
    const root = new Types.ObjectId();
    const parentId = new Types.ObjectId();
    const parent = { _id: parentId, ancestors: [root], root, depth: 1 };
    const reply = lineageOf(new Types.ObjectId(), parent);
    expect(reply.root).toBe(root);
    expect(reply.depth).toBe(2);
    expect(reply.ancestors).toEqual([root, parentId]);
  });
});
