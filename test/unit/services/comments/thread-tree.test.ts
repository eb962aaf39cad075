import { Types } from 'mongoose';
import {
  buildThreadTree,
  type ThreadComment,
  type ThreadNode,
} from '../../../../server/services/comments/thread-tree';

let number = 0;
function comment(parent?: ThreadComment, name = `c${number + 1}`): ThreadComment {
  number += 1;
  return {
    _id: new Types.ObjectId(),
    parent: parent?._id ?? null,
    ancestors: parent ? [...parent.ancestors, parent._id] : [],
    depth: parent ? parent.depth + 1 : 0,
    number,
    authorName: name,
  };
}

function shape(nodes: ThreadNode[]): unknown[] {
  return nodes.map((n) => (n.children.length ? [n.number, shape(n.children)] : n.number));
}

describe('buildThreadTree', () => {
  beforeEach(() => {
    number = 0;
  });

  it('puts parents before children whatever the input order, replies oldest first', () => {
    const a = comment();
    const a1 = comment(a);
    const b = comment();
    const a2 = comment(a);
    const a1x = comment(a1);
    const tree = buildThreadTree(
      [a1x, b, a2, a1, a].reverse().sort(() => 0.5 - Math.random()),
      5,
    );
    expect(shape(tree)).toEqual([[1, [[2, [5]], 4]], 3]);
    expect(tree[0].children[0].children[0].displayDepth).toBe(2);
  });

  it('lists top-level comments newest first when asked, replies still oldest first', () => {
    const a = comment();
    comment(a);
    const b = comment();
    const all = [a, b, comment(a)];
    all.push(comment(b));
    const tree = buildThreadTree([...all, ...[]], 5, 'newest');
    expect(tree.map((n) => n.number)).toEqual([3, 1]);
  });

  it('caps the nesting: deeper replies hang under the deepest shown ancestor, with "replying to"', () => {
    const chain: ThreadComment[] = [comment(undefined, 'root')];
    for (let i = 1; i < 8; i += 1) chain.push(comment(chain[i - 1], `level${i}`));
    const tree = buildThreadTree(chain, 3);
    // Levels 0, 1, 2 are shown nested; 3..7 all continue at level 2 under level1.
    const level1 = tree[0].children[0];
    expect(level1.authorName).toBe('level1');
    expect(level1.children.map((n) => n.authorName)).toEqual([
      'level2',
      'level3',
      'level4',
      'level5',
      'level6',
      'level7',
    ]);
    expect(level1.children.every((n) => n.displayDepth === 2)).toBe(true);
    expect(level1.children[0].replyingTo).toBeNull();
    expect(level1.children[1].replyingTo).toEqual({
      id: String(chain[2]._id),
      number: 3,
      authorName: 'level2',
    });
    expect(level1.children[5].replyingTo?.authorName).toBe('level6');
  });

  it('shows everything flat with maxDepth 1', () => {
    const a = comment();
    const b = comment(a);
    const tree = buildThreadTree([a, b], 1);
    expect(shape(tree)).toEqual([1, 2]);
    expect(tree[1].replyingTo?.number).toBe(1);
  });

  it('attaches a comment whose parent is missing to its nearest present ancestor', () => {
    const a = comment();
    const gone = comment(a);
    const orphan = comment(gone);
    const tree = buildThreadTree([a, orphan], 5);
    expect(shape(tree)).toEqual([[1, [3]]]);
    expect(tree[0].children[0].orphaned).toBe(true);
    expect(tree[0].children[0].displayDepth).toBe(1);
  });

  it('puts a comment with no present ancestor at the top level', () => {
    const gone = comment();
    const orphan = comment(gone);
    const tree = buildThreadTree([orphan], 5);
    expect(shape(tree)).toEqual([2]);
    expect(tree[0].orphaned).toBe(true);
  });

  it('is linear: 20,000 comments in one pass', () => {
    const all: ThreadComment[] = [];
    for (let i = 0; i < 20000; i += 1) all.push(comment(i % 4 === 0 ? undefined : all[i - 1]));
    const tree = buildThreadTree(all, 5);
    expect(tree).toHaveLength(5000);
  });

  it('refuses a nonsense depth', () => {
    expect(() => buildThreadTree([], 0)).toThrow(RangeError);
  });
});
