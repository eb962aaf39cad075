/**
 * Postings lists in document order: the documents that have a stem, by their index ordinal (a small
 * whole number each indexed document gets, see ordinals.ts), each with its BM25 weight for the stem
 * and two flags. Kept sorted by ordinal, so lists are intersected in one pass and packed small: each
 * posting is the gap from the one before (with the flags in its two low bits) as a varint, then the
 * weight in one byte; two bytes a posting for a common word, where an ObjectId alone is twelve.
 */

/** The flags: a comment (else a post), and readers may see it. */
export const COMMENT = 1;
export const SHOWN = 2;

export interface PostingList {
  ord: Uint32Array;
  /** Quantized BM25 weight, 0-255. */
  w: Uint8Array;
  flags: Uint8Array;
}

export interface Posting {
  ord: number;
  w: number;
  flags: number;
}

export const EMPTY: PostingList = {
  ord: new Uint32Array(0),
  w: new Uint8Array(0),
  flags: new Uint8Array(0),
};

/** Packs postings (sorted by ordinal, each ordinal once) as base64. */
export function encode(list: PostingList): string {
  const n = list.ord.length;
  const bytes = Buffer.alloc(n * 8);
  let at = 0;
  let previous = 0;
  for (let i = 0; i < n; i += 1) {
    let value = (list.ord[i] - previous) * 4 + list.flags[i];
    previous = list.ord[i];
    while (value >= 128) {
      bytes[at++] = value % 128 | 128;
      value = Math.floor(value / 128);
    }
    bytes[at++] = value;
    bytes[at++] = list.w[i];
  }
  return bytes.subarray(0, at).toString('base64');
}

export function decode(packed: string, count: number): PostingList {
  const bytes = Buffer.from(packed, 'base64');
  const list = allocate(count);
  let at = 0;
  let ord = 0;
  for (let i = 0; i < count; i += 1) {
    let value = 0;
    let scale = 1;
    let byte: number;
    do {
      byte = bytes[at++];
      value += (byte & 127) * scale;
      scale *= 128;
    } while (byte & 128);
    ord += Math.floor(value / 4);
    list.ord[i] = ord;
    list.flags[i] = value % 4;
    list.w[i] = bytes[at];
    at += 1;
  }
  return list;
}

function allocate(n: number): PostingList {
  return { ord: new Uint32Array(n), w: new Uint8Array(n), flags: new Uint8Array(n) };
}

export function fromPostings(postings: Posting[]): PostingList {
  const sorted = [...postings].sort((a, b) => a.ord - b.ord);
  const list = allocate(sorted.length);
  sorted.forEach((p, i) => {
    list.ord[i] = p.ord;
    list.w[i] = p.w;
    list.flags[i] = p.flags;
  });
  return list;
}

export function slice(list: PostingList, start: number, end: number): PostingList {
  return {
    ord: list.ord.slice(start, end),
    w: list.w.slice(start, end),
    flags: list.flags.slice(start, end),
  };
}

/**
 * One list from several (a stem's rows): each ordinal once. Rows mostly cover ranges of ordinals
 * that do not overlap, so they are put in order of their first ordinal and joined end to end where
 * they follow one another; only overlapping runs (rows from processes writing at once, copies of
 * a row two processes merged at once) are merged posting by posting.
 */
export function merge(lists: PostingList[]): PostingList {
  const sorted = lists.filter((l) => l.ord.length > 0).sort((a, b) => a.ord[0] - b.ord[0]);
  if (!sorted.length) return EMPTY;
  const runs: PostingList[][] = [[sorted[0]]];
  for (let i = 1; i < sorted.length; i += 1) {
    const run = runs[runs.length - 1];
    const last = run[run.length - 1];
    if (sorted[i].ord[0] > last.ord[last.ord.length - 1]) run.push(sorted[i]);
    else runs.push([sorted[i]]);
  }
  let round = runs.map(join);
  while (round.length > 1) {
    const next: PostingList[] = [];
    for (let i = 0; i < round.length; i += 2) {
      next.push(i + 1 < round.length ? mergeTwo(round[i], round[i + 1]) : round[i]);
    }
    round = next;
  }
  return round[0];
}

function join(lists: PostingList[]): PostingList {
  if (lists.length === 1) return lists[0];
  const out = allocate(lists.reduce((n, l) => n + l.ord.length, 0));
  let at = 0;
  for (const l of lists) {
    out.ord.set(l.ord, at);
    out.w.set(l.w, at);
    out.flags.set(l.flags, at);
    at += l.ord.length;
  }
  return out;
}

function mergeTwo(a: PostingList, b: PostingList): PostingList {
  if (a.ord[a.ord.length - 1] < b.ord[0]) return join([a, b]);
  if (b.ord[b.ord.length - 1] < a.ord[0]) return join([b, a]);
  const out = allocate(a.ord.length + b.ord.length);
  let i = 0;
  let j = 0;
  let k = 0;
  const take = (from: PostingList, index: number) => {
    out.ord[k] = from.ord[index];
    out.w[k] = from.w[index];
    out.flags[k] = from.flags[index];
    k += 1;
  };
  while (i < a.ord.length || j < b.ord.length) {
    if (j >= b.ord.length || (i < a.ord.length && a.ord[i] < b.ord[j])) take(a, i++);
    else if (i >= a.ord.length || b.ord[j] < a.ord[i]) take(b, j++);
    else {
      take(a, i++);
      j += 1;
    }
  }
  return slice(out, 0, k);
}

/** The position of `ord` in the list at or after `from`, or -1 (galloping, then binary search). */
export function seek(list: PostingList, ord: number, from: number): { at: number; found: boolean } {
  const a = list.ord;
  let step = 1;
  let lo = from;
  let hi = from;
  while (hi < a.length && a[hi] < ord) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, a.length);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < ord) lo = mid + 1;
    else hi = mid;
  }
  return { at: lo, found: lo < a.length && a[lo] === ord };
}

/** Documents in every list of a query: their ordinals, and their position in each list. */
export interface Matches {
  count: number;
  ord: Uint32Array;
  /** at[i][m]: where match m is in list i. */
  at: Uint32Array[];
}

/**
 * The ordinals in every list of `all` and in none of `none`, with their positions in each of
 * `all` (so weights can be summed). Walks the shortest list and seeks in the others.
 */
export function intersect(all: PostingList[], none: PostingList[] = []): Matches {
  if (!all.length || all.some((l) => l.ord.length === 0))
    return { count: 0, ord: new Uint32Array(0), at: [] };
  const order = all.map((_, i) => i).sort((x, y) => all[x].ord.length - all[y].ord.length);
  const lead = all[order[0]];
  const size = lead.ord.length;
  const ord = new Uint32Array(size);
  const at = all.map(() => new Uint32Array(size));
  const cursors = all.map(() => 0);
  const noneCursors = none.map(() => 0);
  let count = 0;
  next: for (let i = 0; i < size; i += 1) {
    const o = lead.ord[i];
    for (let k = 1; k < order.length; k += 1) {
      const list = all[order[k]];
      const hit = seek(list, o, cursors[order[k]]);
      cursors[order[k]] = hit.at;
      if (!hit.found) continue next;
      at[order[k]][count] = hit.at;
    }
    for (let k = 0; k < none.length; k += 1) {
      const hit = seek(none[k], o, noneCursors[k]);
      noneCursors[k] = hit.at;
      if (hit.found) continue next;
    }
    at[order[0]][count] = i;
    ord[count] = o;
    count += 1;
  }
  return { count, ord, at };
}

/**
 * The k best of many (score, ordinal) pairs, best first; on equal scores the higher ordinal (the
 * later indexed, so mostly the newer) first. A heap of k: most pairs are compared once and dropped.
 */
export class TopK {
  private readonly score: Float64Array;
  private readonly ord: Uint32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.score = new Float64Array(k);
    this.ord = new Uint32Array(k);
  }

  /** a ranks below b. */
  private below(a: number, b: number): boolean {
    return this.score[a] < this.score[b] || (this.score[a] === this.score[b] && this.ord[a] < this.ord[b]);
  }

  add(score: number, ord: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      this.score[this.size] = score;
      this.ord[this.size] = ord;
      this.up(this.size++);
      return;
    }
    // The root is the worst kept.
    if (score < this.score[0] || (score === this.score[0] && ord <= this.ord[0])) return;
    this.score[0] = score;
    this.ord[0] = ord;
    this.down(0);
  }

  private swap(a: number, b: number): void {
    [this.score[a], this.score[b]] = [this.score[b], this.score[a]];
    [this.ord[a], this.ord[b]] = [this.ord[b], this.ord[a]];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.below(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < this.size && this.below(l, worst)) worst = l;
      if (r < this.size && this.below(r, worst)) worst = r;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  /** What is kept, best first. */
  best(): { ord: number; score: number }[] {
    const out = Array.from({ length: this.size }, (_, i) => ({ ord: this.ord[i], score: this.score[i] }));
    return out.sort((a, b) => b.score - a.score || b.ord - a.ord);
  }
}

/** A row's size class: rows of a stem are merged eight of a class at a time into the next. */
export function tierOf(count: number, full: number): number {
  if (count >= full) return FULL_TIER;
  return Math.floor(Math.log(Math.max(1, count)) / Math.log(8));
}

export const FULL_TIER = 99;

/**
 * A row's best postings readers may see: the `k` with the highest weight (on equal weights, the
 * higher ordinal), in ordinal order, and how many of the row's postings readers may see. A query for
 * one word ranks by weight alone, so it can take a row's best from its header instead of reading the
 * row, as long as the row's worst kept ranks below what the query keeps (see Segments.readTop).
 */
export function bestShown(list: PostingList, k: number): { top: PostingList; shown: number } {
  const best = new TopK(k);
  let shown = 0;
  for (let i = 0; i < list.ord.length; i += 1) {
    if (!(list.flags[i] & SHOWN)) continue;
    shown += 1;
    best.add(list.w[i], list.ord[i]);
  }
  const kept = new Set(best.best().map((b) => b.ord));
  const at: number[] = [];
  for (let i = 0; i < list.ord.length; i += 1) if (kept.has(list.ord[i])) at.push(i);
  const top = allocate(at.length);
  at.forEach((i, j) => {
    top.ord[j] = list.ord[i];
    top.w[j] = list.w[i];
    top.flags[j] = list.flags[i];
  });
  return { top, shown };
}

/** The lowest ranked of a list by weight, then ordinal: what a row's kept best ends at. */
export function worstOf(list: PostingList): { w: number; ord: number } {
  let worst = { w: 256, ord: 0 };
  for (let i = 0; i < list.ord.length; i += 1) {
    if (list.w[i] < worst.w || (list.w[i] === worst.w && list.ord[i] < worst.ord))
      worst = { w: list.w[i], ord: list.ord[i] };
  }
  return worst;
}
