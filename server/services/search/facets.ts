import mongoose, { type Types } from 'mongoose';
import {
  SearchDocModel,
  SearchSegmentModel,
  SearchStatModel,
  type SearchSegment,
} from '../../../models/search.js';
import { Segments } from './segments.js';
import { fold } from './text.js';
import { upsertOne } from '../../db/upsert.js';

/**
 * Filters as terms. Every indexed document also has a posting (weight 0) under a term for its post,
 * its author, each of its tags and its month, so a search within a thread, by an author, in a tag or
 * over a few months intersects one more list (for months, their union) instead of reading index
 * documents until enough pass: exact however many match, and about as fast as a word. The terms
 * hold a colon, which no word the tokenizer makes has, so a query never reads them as words.
 */
export const facet = {
  post: (id: Types.ObjectId | string) => `post:${String(id)}`,
  tag: (tag: string) => `tag:${tag.trim().toLowerCase()}`,
  /** From a name as typed; an index document's `au` is already folded. */
  author: (name: string) => `au:${fold(name.trim())}`,
  /** The month (UTC) of a comment's writing or a post's publication. */
  month: (at: Date) => `m:${at.toISOString().slice(0, 7)}`,
};

/** Months a date range may cover as a union of month lists; longer ranges are checked on documents. */
export const MAX_MONTHS = 24;

/**
 * The month terms of a date range (from the start of `from`'s month to the end of `to`'s), or null
 * when it has no start or covers more than MAX_MONTHS: most documents then pass, and checking the
 * best-ranked ones finds a page sooner than reading every month.
 */
export function monthsOf(from?: Date, to?: Date, now = new Date()): string[] | null {
  if (!from) return null;
  // (Without an end: up to next month, for a clock a little ahead.)
  const end = to ?? new Date(now.getTime() + 31 * 86400000);
  const months: string[] = [];
  for (
    let at = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
    at <= end;
    at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1))
  ) {
    if (months.length === MAX_MONTHS) return null;
    months.push(facet.month(at));
  }
  return months;
}

/** A document's filter terms. */
export function facetsOf(doc: { post: Types.ObjectId; tags: string[]; au: string; at: Date }): string[] {
  const terms = new Set([facet.post(doc.post), ...doc.tags.map(facet.tag)]);
  if (doc.au) terms.add(`au:${doc.au}`);
  if (doc.at instanceof Date && !Number.isNaN(doc.at.getTime())) terms.add(facet.month(doc.at));
  return [...terms];
}

const ID = 'facets';

/**
 * Whether every document in the index has its filter terms. An index written before there were
 * any is marked at boot (a migration) and keeps filtering by reading documents until `npm run
 * reindex` rebuilds it; a new index, and a rebuilt one, has them.
 */
export const facetState = {
  async complete(): Promise<boolean> {
    const stat = await SearchStatModel.findById(ID).lean<{ n: number }>();
    return !stat || stat.n === 1;
  },

  async set(complete: boolean): Promise<void> {
    await upsertOne(SearchStatModel, { _id: ID }, { $set: { n: complete ? 1 : 0 } });
  },

  /**
   * The migration: whether one of the index's first documents (by ordinal, through the `o` index)
   * is in its post's filter list. It only ever marks the index as without them (a rebuild marks it
   * complete), so another process indexing meanwhile cannot make an old index look complete.
   */
  async check(): Promise<boolean> {
    const first = { o: mongoose.trusted({ $in: Array.from({ length: 256 }, (_, i) => i) }) };
    const doc =
      (await SearchDocModel.findOne(first).select('post o').lean<{ post: Types.ObjectId; o: number }>()) ??
      (await SearchDocModel.findOne().select('post o').lean<{ post: Types.ObjectId; o: number }>());
    if (!doc) return true;
    const rows = await SearchSegmentModel.find({ t: facet.post(doc.post) }).lean<SearchSegment[]>();
    const lists = await new Segments(0).whole(rows);
    const complete = Boolean(lists?.some((list) => list.ord.includes(doc.o)));
    if (!complete) await facetState.set(false);
    return complete;
  },
};
