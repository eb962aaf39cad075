import mongoose, { Schema, type Types } from 'mongoose';

/**
 * The search index, in the database so that it grows with the site and every process shares it.
 *
 * SearchDoc: one per indexed post or comment (same _id): a digest of its stems and their weighted
 * counts, its length, what filters and permissions need (status, post, published, tags, author, date), and its
 * ordinal `o`, the number postings know it by. An edit or a moderation gives it a new ordinal (and
 * new postings); postings of an ordinal no SearchDoc has any more are skipped, so a posting never
 * has to be changed or outvoted.
 *
 * SearchSegment: part of one stem's postings list, in document order (see
 * server/services/search/postings.ts): the documents' ordinals, weights and flags, packed. Written
 * once, never edited: each indexing batch writes a small row per stem, and rows of a size class
 * (`z`) are merged eight at a time into one of the next (as an LSM tree does), up to full rows of
 * FULL postings. A stem's list is its rows merged (two processes merging the same rows at once
 * leave two copies, which read as one). Read by `t` (index `{ t: 1, z: 1, _id: 1 }`), on the
 * embedded database (whose patch pushes both down to SQLite) as on MongoDB; full rows newest first
 * by _id.
 *
 * SearchBody: the postings of a big segment row (512 or more), apart from the row itself, so a query
 * can read which rows a stem has without their postings, and take the postings of rows it has read
 * before from memory: a row never changes, so what was read once stays true until the row goes.
 *
 * SearchBlock: the blocks of ordinals processes have claimed (server/services/search/ordinals.ts).
 *
 * SearchStat: how many documents the index holds, and whether they have filter terms (below).
 *
 * SearchPrefix: title-word prefixes of published posts, for suggestions as one types; _id made
 * from the publication time (newest first) and a hash.
 */
const searchDocSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    /** c: comment, p: post. */
    k: { type: String, enum: ['c', 'p'], required: true },
    /** A digest of its stems and their weighted counts (whether an edit changed its words). */
    h: { type: String, default: '' },
    len: { type: Number, required: true },
    /** The comment's status (visible, pending, removed, deleted) or the post's (draft, scheduled, published). */
    st: { type: String, required: true },
    /** The post (itself, for a post). */
    post: { type: Schema.Types.ObjectId, required: true },
    /** Whether the post is published (a comment on a draft is found by moderators only). */
    pub: { type: Boolean, required: true },
    tags: { type: [String], default: [] },
    /** Folded author name (a comment's writer, a post's byline). */
    au: { type: String, default: '' },
    at: { type: Date, required: true },
    /** The comment's number in its thread. */
    n: { type: Number, default: 0 },
    /** Its ordinal in postings lists. */
    o: { type: Number, required: true },
  },
  { versionKey: false },
);
searchDocSchema.index({ post: 1 });
searchDocSchema.index({ o: 1 });

export interface SearchDoc {
  _id: Types.ObjectId;
  k: 'c' | 'p';
  h: string;
  len: number;
  st: string;
  post: Types.ObjectId;
  pub: boolean;
  tags: string[];
  au: string;
  at: Date;
  n: number;
  o: number;
}

export const SearchDocModel = mongoose.model('SearchDoc', searchDocSchema);

const searchSegmentSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    t: { type: String, required: true },
    /** Size class: 0-4 by the number of postings (1-7, 8-63, …), 99 for a full row. */
    z: { type: Number, required: true },
    /** Postings in it, and the first one's ordinal. */
    n: { type: Number, required: true },
    lo: { type: Number, required: true },
    /** When its postings were taken from their documents (ms); a merged row, the newest of its rows'. */
    v: { type: Number, required: true },
    /**
     * The postings, packed (a string: the embedded database converts array elements one by one);
     * for a row of BODY_FROM postings or more, in a SearchBody of the same _id instead.
     */
    p: { type: String },
    /**
     * A row of BODY_FROM postings or more: its best TOP postings readers may see (by weight, packed
     * the same way) and how many of its postings readers may see, so a one-word search can rank
     * without reading the row (rows written before these existed have neither: `npm run reindex`).
     */
    top: { type: String },
    tn: { type: Number },
    ns: { type: Number },
  },
  { versionKey: false },
);
searchSegmentSchema.index({ t: 1, z: 1, _id: 1 });

export interface SearchSegment {
  _id: Types.ObjectId;
  t: string;
  z: number;
  n: number;
  lo: number;
  v: number;
  p?: string;
  top?: string;
  /** Postings in `top`. */
  tn?: number;
  ns?: number;
}

export const SearchSegmentModel = mongoose.model('SearchSegment', searchSegmentSchema);

const searchBodySchema = new Schema(
  { _id: { type: Schema.Types.ObjectId, required: true }, p: { type: String, required: true } },
  { versionKey: false },
);

export const SearchBodyModel = mongoose.model('SearchBody', searchBodySchema);

const searchBlockSchema = new Schema({ _id: { type: Number, required: true } }, { versionKey: false });

export const SearchBlockModel = mongoose.model('SearchBlock', searchBlockSchema);

/**
 * SearchStat: counters the index keeps of itself. `docs`: how many documents it holds (BM25's N),
 * adjusted by each batch, because counting them is a scan of the whole collection on the embedded
 * database (75 s at a million). `facets`: 0 while the index was written before documents had filter
 * terms (server/services/search/facets.ts), 1 (or none) once they all do.
 */
const searchStatSchema = new Schema(
  { _id: { type: String, required: true }, n: { type: Number, required: true } },
  { versionKey: false },
);

export const SearchStatModel = mongoose.model('SearchStat', searchStatSchema);

const searchPrefixSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    p: { type: String, required: true },
    d: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    slug: { type: String, required: true },
  },
  { versionKey: false },
);
searchPrefixSchema.index({ p: 1, _id: 1 });
searchPrefixSchema.index({ d: 1 });

export const SearchPrefixModel = mongoose.model('SearchPrefix', searchPrefixSchema);
