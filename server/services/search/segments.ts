import mongoose, { Types } from 'mongoose';
import { SearchBodyModel, SearchSegmentModel, type SearchSegment } from '../../../models/search.js';
import {
  EMPTY,
  FULL_TIER,
  bestShown,
  decode,
  encode,
  fromPostings,
  merge,
  slice,
  tierOf,
  worstOf,
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

/** Rows of this many postings or more keep them in a SearchBody, and queries keep them in memory. */
export const BODY_FROM = 512;
/** Best postings a row with a SearchBody keeps in its header, for one-word searches. */
export const TOP = 48;
/** Memory for postings read before, per process (decoded: six bytes a posting). */
const CACHE_BYTES = 64 * 1024 * 1024;

interface Written {
  row: SearchSegment & { p: string };
  list: PostingList;
}

/** The rows for one stem's list: full rows of FULL postings, then one row with the rest. */
function rowsOf(t: string, list: PostingList, v: number): Written[] {
  const rows: Written[] = [];
  for (let start = 0; start < list.ord.length; start += FULL) {
    const part = slice(list, start, Math.min(list.ord.length, start + FULL));
    const n = part.ord.length;
    const row: Written['row'] = {
      _id: new Types.ObjectId(),
      t,
      z: tierOf(n, FULL),
      n,
      lo: part.ord[0],
      v,
      p: encode(part),
    };
    if (n >= BODY_FROM) {
      const { top, shown } = bestShown(part, TOP);
      row.top = encode(top);
      row.tn = top.ord.length;
      row.ns = shown;
    }
    rows.push({ row, list: part });
  }
  return rows;
}

/** A big row as stored: its postings are in its SearchBody. */
function withoutPostings(row: SearchSegment): Omit<SearchSegment, 'p'> {
  const { p: _postings, ...header } = row;
  return header;
}

/** Postings lists of rows read before, by row _id, least recently used dropped first. */
class BodyCache {
  private readonly lists = new Map<string, PostingList>();
  private bytes = 0;

  constructor(private readonly limit: number) {}

  get(id: string): PostingList | undefined {
    const list = this.lists.get(id);
    if (list) {
      this.lists.delete(id);
      this.lists.set(id, list);
    }
    return list;
  }

  set(id: string, list: PostingList): void {
    if (this.lists.has(id)) return;
    this.lists.set(id, list);
    this.bytes += list.ord.length * 6;
    for (const [oldest, old] of this.lists) {
      if (this.bytes <= this.limit) break;
      this.lists.delete(oldest);
      this.bytes -= old.ord.length * 6;
    }
  }
}

/** A stem's postings as a query reads it. */
export interface TermList {
  list: PostingList;
  /** Documents before this ordinal were not read (the stem is in too many): 0 when complete. */
  from: number;
  /** Documents with the stem, when the list holds only some of them (a one-word search's best). */
  df?: number;
}

/**
 * A stem's list for a one-word search: every posting of its small rows and the best of each big
 * row (from the row's header), and the big rows whose best are not all they have.
 */
export interface TopList {
  list: PostingList;
  /** Documents with the stem (for IDF). */
  df: number;
  /** Rows with more postings readers may see than their header keeps, and the worst it keeps. */
  cut: { row: SearchSegment; worst: { w: number; ord: number } }[];
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
  private readonly cache: BodyCache;

  constructor(
    cacheBytes = CACHE_BYTES,
    /** Postings `read` takes of a stem at most (see READ_BUDGET). */
    private readonly readBudget = READ_BUDGET,
  ) {
    this.cache = new BodyCache(cacheBytes);
  }

  /** Writes rows: a big row's postings first (in its SearchBody), then the row. */
  private async store(written: Written[]): Promise<void> {
    for (let i = 0; i < written.length; i += 2000) {
      const part = written.slice(i, i + 2000);
      const big = part.filter((w) => w.row.n >= BODY_FROM);
      if (big.length) {
        await SearchBodyModel.insertMany(
          big.map((w) => ({ _id: w.row._id, p: w.row.p })),
          { ordered: false, lean: true },
        );
        for (const w of big) this.cache.set(String(w.row._id), w.list);
      }
      await SearchSegmentModel.insertMany(
        part.map(({ row }) => (row.n >= BODY_FROM ? withoutPostings(row) : row)),
        { ordered: false, lean: true },
      );
    }
  }

  /**
   * The rows' postings: small rows carry theirs; a big row's come from memory or its SearchBody.
   * Null when a body is gone (a merge replaced the row since it was read): read the rows again.
   */
  private async lists(rows: SearchSegment[]): Promise<PostingList[] | null> {
    const found = new Map<string, PostingList>();
    const missing: SearchSegment[] = [];
    for (const row of rows) {
      if (typeof row.p === 'string') continue;
      const cached = this.cache.get(String(row._id));
      if (cached) found.set(String(row._id), cached);
      else missing.push(row);
    }
    // Read in two halves at once: the database decodes each half on its own core.
    const half = Math.min(250, Math.ceil(missing.length / 2));
    const parts: SearchSegment[][] = [];
    for (let i = 0; i < missing.length; i += half) parts.push(missing.slice(i, i + half));
    const read = await Promise.all(
      parts.map((part) =>
        SearchBodyModel.find({ _id: trusted({ $in: part.map((r) => r._id) }) }).lean<
          { _id: Types.ObjectId; p: string }[]
        >(),
      ),
    );
    const byId = new Map(read.flat().map((b) => [String(b._id), b.p]));
    for (const row of missing) {
      const p = byId.get(String(row._id));
      if (p === undefined) return null;
      const list = decode(p, row.n);
      this.cache.set(String(row._id), list);
      found.set(String(row._id), list);
    }
    return rows.map((row) =>
      typeof row.p === 'string' ? decode(row.p, row.n) : found.get(String(row._id))!,
    );
  }

  /** Counts a row of class z for the stem; true when that class is due a merge. */
  private count(t: string, z: number): boolean {
    if (z === FULL_TIER) return false;
    let counts = this.counts.get(t);
    if (!counts) {
      // Bounded (a site's words, typos and all, are many): forgetting counts only delays merges.
      if (this.counts.size >= 200000) this.counts.clear();
      this.counts.set(t, (counts = PARTIAL_TIERS.map(() => 0)));
    }
    counts[z] += 1;
    return counts[z] >= MERGE_AT;
  }

  /** Writes the postings (stem → postings), then merges what is due. */
  async write(byStem: Map<string, Posting[]>): Promise<void> {
    const v = Date.now();
    const rows: Written[] = [];
    const due = new Set<string>();
    for (const [t, postings] of byStem) {
      for (const written of rowsOf(t, fromPostings(postings), v)) {
        rows.push(written);
        if (this.count(t, written.row.z)) due.add(t);
      }
    }
    await this.store(rows);
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
        const added: Written[] = [];
        const gone: Types.ObjectId[] = [];
        for (const t of part) {
          const counts = this.counts.get(t);
          if (counts) counts[z] = 0;
        }
        for (const [t, group] of byStem) {
          if (group.length < 2) continue;
          const lists = await this.lists(group);
          if (!lists) continue; // another process is merging them
          const v = Math.max(...group.map((r) => r.v));
          for (const written of rowsOf(t, merge(lists), v)) {
            added.push(written);
            this.count(t, written.row.z);
          }
          gone.push(...group.map((r) => r._id));
          merged += 1;
        }
        await this.store(added);
        for (let j = 0; j < gone.length; j += 500) {
          const ids = trusted({ $in: gone.slice(j, j + 500) });
          await SearchSegmentModel.deleteMany({ _id: ids });
          await SearchBodyModel.deleteMany({ _id: ids });
        }
      }
    }
    return merged;
  }

  /**
   * A stem's list for a one-word search, from its rows' headers alone (one indexed read): null when
   * a big row has no kept best (written before there were any), and the whole list must be read.
   */
  async readTop(t: string): Promise<TopList | null> {
    const rows = await SearchSegmentModel.find({ t }).lean<SearchSegment[]>();
    const big = rows.filter((r) => typeof r.p !== 'string');
    if (big.some((r) => typeof r.top !== 'string' || typeof r.ns !== 'number')) return null;
    const lists: PostingList[] = [];
    let df = 0;
    const cut: TopList['cut'] = [];
    // Two processes merging the same rows at once leave two copies (the same first posting and
    // size): counted and read once.
    const seen = new Set<string>();
    for (const row of rows) {
      const key = `${row.lo}:${row.n}`;
      if (seen.has(key)) continue;
      seen.add(key);
      df += row.n;
      if (typeof row.p === 'string') {
        lists.push(decode(row.p, row.n));
        continue;
      }
      // (Headers written before `tn` kept 48.)
      const top = decode(row.top!, row.tn ?? Math.min(48, row.ns!));
      lists.push(top);
      if (row.ns! > top.ord.length) cut.push({ row, worst: worstOf(top) });
    }
    return { list: merge(lists), df, cut };
  }

  /** Rows' whole lists (a one-word search reaching into rows' unkept postings); null if one is gone. */
  whole(rows: SearchSegment[]): Promise<PostingList[] | null> {
    return this.lists(rows);
  }

  /**
   * A stem's list: its small rows, then as many of its full rows, newest first, as the read budget
   * (READ_BUDGET) allows. When there are more full rows than that, `from` says where the full rows read begin:
   * documents before it may have the stem without being in the list. Big rows' postings come from
   * memory when this process has read them before (rows never change), so a common word costs a
   * few small reads.
   */
  async read(t: string): Promise<TermList> {
    for (let attempt = 0; ; attempt += 1) {
      // Every row of the stem at once (one indexed read): full rows carry no postings, so even a
      // stem in most documents has few enough rows (a hundred at a million) to read them all.
      const rows = await SearchSegmentModel.find({ t }).lean<SearchSegment[]>();
      const partial = rows.filter((r) => r.z !== FULL_TIER);
      const headers = rows
        .filter((r) => r.z === FULL_TIER)
        .sort((a, b) => (String(a._id) < String(b._id) ? 1 : -1));
      const room = Math.max(
        1,
        Math.floor((this.readBudget - partial.reduce((sum, r) => sum + r.n, 0)) / FULL),
      );
      const full = headers.slice(0, room);
      if (!partial.length && !full.length) return { list: EMPTY, from: 0 };
      const lists = await this.lists([...partial, ...full]);
      if (!lists) {
        // A merge replaced rows between reading them and their postings: read them again.
        if (attempt < 5) continue;
        throw new Error(`search: the postings of "${t}" kept changing while being read`);
      }
      const list = merge(lists);
      const from = headers.length > room ? Math.min(...full.map((r) => r.lo)) : 0;
      return { list, from };
    }
  }
}
