import type { Types } from 'mongoose';

/** Where a comment sits in its thread: what a comment stores so a thread is read in one query. */
export interface Lineage {
  parent: Types.ObjectId | null;
  /** Root first. */
  ancestors: Types.ObjectId[];
  root: Types.ObjectId;
  depth: number;
}

export type LineageParent = Pick<Lineage, 'ancestors' | 'root' | 'depth'> & { _id: Types.ObjectId };

/** The lineage of comment `id`: a reply to `parent`, or top level when there is none. */
export function lineageOf(id: Types.ObjectId, parent?: LineageParent | null): Lineage {
  if (!parent) return { parent: null, ancestors: [], root: id, depth: 0 };
  return {
    parent: parent._id,
    ancestors: [...parent.ancestors, parent._id],
    root: parent.root,
    depth: parent.depth + 1,
  };
}
