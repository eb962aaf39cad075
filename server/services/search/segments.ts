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

/** Postings in a full row (about 100 kB packed): full rows are never merged again. */
export const FULL = 32768;
/** Rows of a size class merged at once. */
export const MERGE_AT = 8;
/** Full rows of a stem a query reads, newest first: a stem in more documents is read in part. */
export const FULL_ROWS_READ = 4;
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
  const newestFirst = [...rows].sort(
    (a, b) => b.v - a.v || (b._id.toHexString() < a._id.toHexString() ? -1 : 1),
  );
  return merge(newestFirst.map((r) => decode(r.p, r.n)));
}

/** A stem's postings as a query reads it. */
export interface TermList {
  list: PostingList;
  /** Documents before this ordinal were not read (the stem is in too many): 0 when complete. */
  from: number;
}

/**
 * Writes postings as segments and keeps the number of rows per stem small: each stem written gets
 * a row; once this process has written MERGE_AT rows of a stem, that stem's small rows are merged
 * (whoever wrote them), and so on up the size classes.
 */
export class Segments {
  private readonly written = new Map<string, number>();

  /** Writes the postings (stem → postings), then merges what is due. */
  async write(byStem: Map<string, Posting[]>): Promise<void> {
    const v = Date.now();
    const rows: SearchSegment[] = [];
    const due: string[] = [];
    for (const [t, postings] of byStem) {
      rows.push(...rowsOf(t, fromPostings(postings), v));
      const count = (this.written.get(t) ?? 0) + 1;
      if (count >= MERGE_AT) {
        due.push(t);
        this.written.delete(t);
      } else this.written.set(t, count);
    }
    for (let i = 0; i < rows.length; i += 2000) {
      await SearchSegmentModel.insertMany(rows.slice(i, i + 2000), { ordered: false, lean: true });
    }
    if (due.length) await this.compact(due);
  }

  /**
   * Merges the stems' rows a size class at a time: where a class has MERGE_AT rows or more, they
   * become one row (or full rows) of a bigger class, which may in turn be due. The new rows are
   * written before the old ones go, so a query never misses a posting (it may see one twice, and
   * keeps one).
   */
  async compact(stems: string[]): Promise<number> {
    let merged = 0;
    for (const z of PARTIAL_TIERS) {
      const next = new Set<string>();
      for (let i = 0; i < stems.length; i += 400) {
        const rows = await SearchSegmentModel.find({ t: trusted({ $in: stems.slice(i, i + 400) }), z }).lean<
          SearchSegment[]
        >();
        const byStem = new Map<string, SearchSegment[]>();
        for (const row of rows) {
          let list = byStem.get(row.t);
          if (!list) byStem.set(row.t, (list = []));
          list.push(row);
        }
        const added: SearchSegment[] = [];
        const gone: Types.ObjectId[] = [];
        for (const [t, group] of byStem) {
          if (group.length < MERGE_AT) continue;
          const v = Math.max(...group.map((r) => r.v));
          for (const row of rowsOf(t, listOf(group), v)) {
            added.push(row);
            if (row.z !== z) next.add(t);
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
      stems = [...next];
      if (!stems.length) break;
    }
    return merged;
  }

  /**
   * A stem's list: every partial row and the newest FULL_ROWS_READ full rows. When there are more
   * full rows than that, the list starts at the oldest full row read (`from`).
   */
  async read(t: string): Promise<TermList> {
    const [partial, full] = await Promise.all([
      SearchSegmentModel.find({ t, z: trusted({ $in: PARTIAL_TIERS }) }).lean<SearchSegment[]>(),
      SearchSegmentModel.find({ t, z: FULL_TIER })
        .sort({ _id: -1 })
        .limit(FULL_ROWS_READ)
        .lean<SearchSegment[]>(),
    ]);
    if (!partial.length && !full.length) return { list: EMPTY, from: 0 };
    const list = listOf([...partial, ...full]);
    if (full.length < FULL_ROWS_READ) return { list, from: 0 };
    // Possibly more full rows: only what comes after the oldest one read is known in full.
    const from = Math.min(...full.map((r) => decode(r.p, 1).ord[0]));
    let start = 0;
    while (start < list.ord.length && list.ord[start] < from) start += 1;
    return { list: slice(list, start, list.ord.length), from };
  }
}
