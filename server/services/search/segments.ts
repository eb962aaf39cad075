import mongoose, { Types } from 'mongoose';
import { SearchSegmentModel, type SearchSegment } from '../../../models/search.js';
import {
  EMPTY,
  FULL_TIER,
  decode,
  encode,
  fromPostings,
  merge,
  slice,
  tierOf,
  type Posting,
  type PostingList,
} from './postings.js';

const { trusted } = mongoose;

/** Postings in a full row (about 30 kB packed): full rows are never merged again. */
export const FULL = 8192;
/** Rows of a size class merged at once. */
export const MERGE_AT = 8;
/**
 * Postings of a stem a query reads, at most: its small rows, then its full rows newest first.
 * A stem in more documents than that (one in eight of a million) is read for its newest only.
 */
export const READ_BUDGET = 131072;
const PARTIAL_TIERS = [0, 1, 2, 3, 4];

/** The rows for one stem's list: full rows of FULL postings, then one row with the rest. */
function rowsOf(t: string, list: PostingList, v: number): SearchSegment[] {
  const rows: SearchSegment[] = [];
  for (let start = 0; start < list.ord.length; start += FULL) {
    const part = slice(list, start, Math.min(list.ord.length, start + FULL));
    const n = part.ord.length;
    rows.push({ _id: new Types.ObjectId(), t, z: tierOf(n, FULL), n, v, p: encode(part) });
  }
  return rows;
}

function listOf(rows: SearchSegment[]): PostingList {
  return merge(rows.map((r) => decode(r.p, r.n)));
}

/** A stem's postings as a query reads it. */
export interface TermList {
  list: PostingList;
  /** Documents before this ordinal were not read (the stem is in too many): 0 when complete. */
  from: number;
}

/**
 * Writes postings as segments and keeps the number of rows per stem small. Each process counts the
 * rows it knows of per stem and size class (those it wrote and merged); when a class reaches
 * MERGE_AT, every row of that class is merged, whoever wrote it, and so on up the classes. So a
 * stem has at most a few rows per class for each process that writes (and one started since),
 * and a posting is rewritten once per class, about five times in all.
 */
export class Segments {
  private readonly counts = new Map<string, number[]>();

  private count(t: string, z: number, by: number): boolean {
    if (z === FULL_TIER) return false;
    let counts = this.counts.get(t);
    if (!counts) {
      // Bounded (a site's words, typos and all, are many): forgetting counts only delays merges.
      if (this.counts.size >= 200000) this.counts.clear();
      this.counts.set(t, (counts = PARTIAL_TIERS.map(() => 0)));
    }
    counts[z] += by;
    return counts[z] >= MERGE_AT;
  }

  /** Writes the postings (stem → postings), then merges what is due. */
  async write(byStem: Map<string, Posting[]>): Promise<void> {
    const v = Date.now();
    const rows: SearchSegment[] = [];
    const due = new Set<string>();
    for (const [t, postings] of byStem) {
      for (const row of rowsOf(t, fromPostings(postings), v)) {
        rows.push(row);
        if (this.count(t, row.z, 1)) due.add(t);
      }
    }
    for (let i = 0; i < rows.length; i += 2000) {
      await SearchSegmentModel.insertMany(rows.slice(i, i + 2000), { ordered: false, lean: true });
    }
    if (due.size) await this.compact([...due]);
  }

  /**
   * Merges the stems' rows a size class at a time, where this process counts MERGE_AT or more: they
   * become one row (or full rows) of a bigger class, which may in turn be due. The new rows are
   * written before the old ones go, so a query never misses a posting (it may see one twice, and
   * keeps one).
   */
  async compact(stems: string[]): Promise<number> {
    let merged = 0;
    for (const z of PARTIAL_TIERS) {
      const due = stems.filter((t) => (this.counts.get(t)?.[z] ?? 0) >= MERGE_AT);
      for (let i = 0; i < due.length; i += 400) {
        const part = due.slice(i, i + 400);
        const rows = await SearchSegmentModel.find({ t: trusted({ $in: part }), z }).lean<SearchSegment[]>();
        const byStem = new Map<string, SearchSegment[]>();
        for (const row of rows) {
          let list = byStem.get(row.t);
          if (!list) byStem.set(row.t, (list = []));
          list.push(row);
        }
        const added: SearchSegment[] = [];
        const gone: Types.ObjectId[] = [];
        for (const t of part) {
          const counts = this.counts.get(t);
          if (counts) counts[z] = 0;
        }
        for (const [t, group] of byStem) {
          if (group.length < 2) continue;
          const v = Math.max(...group.map((r) => r.v));
          for (const row of rowsOf(t, listOf(group), v)) {
            added.push(row);
            this.count(t, row.z, 1);
          }
          gone.push(...group.map((r) => r._id));
          merged += 1;
        }
        for (let j = 0; j < added.length; j += 2000) {
          await SearchSegmentModel.insertMany(added.slice(j, j + 2000), { ordered: false, lean: true });
        }
        for (let j = 0; j < gone.length; j += 500) {
          await SearchSegmentModel.deleteMany({ _id: trusted({ $in: gone.slice(j, j + 500) }) });
        }
      }
    }
    return merged;
  }

  /**
   * A stem's list: its small rows, then as many of its full rows, newest first, as READ_BUDGET
   * allows. When that may not be all of them, the list starts at the oldest full row read
   * (`from`): what comes before it is not known.
   */
  async read(t: string): Promise<TermList> {
    const partial = await SearchSegmentModel.find({ t, z: trusted({ $in: PARTIAL_TIERS }) }).lean<
      SearchSegment[]
    >();
    const room = Math.max(1, Math.floor((READ_BUDGET - partial.reduce((sum, r) => sum + r.n, 0)) / FULL));
    const full = await SearchSegmentModel.find({ t, z: FULL_TIER })
      .sort({ _id: -1 })
      .limit(room)
      .lean<SearchSegment[]>();
    if (!partial.length && !full.length) return { list: EMPTY, from: 0 };
    const list = listOf([...partial, ...full]);
    if (full.length < room) return { list, from: 0 };
    const from = Math.min(...full.map((r) => decode(r.p, 1).ord[0]));
    let start = 0;
    while (start < list.ord.length && list.ord[start] < from) start += 1;
    return { list: slice(list, start, list.ord.length), from };
  }
}
