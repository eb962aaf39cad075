import mongoose, { Schema, type Types } from 'mongoose';

/**
 * The search index, in the database so that it grows with the site and every process shares it.
 *
 * SearchDoc: one per indexed post or comment (same _id): its stems and their weighted counts, its
 * length, and what filters and permissions need (status, post, published, tags, author, date).
 *
 * SearchPosting: a chunk of one stem's postings, up to 64 documents written together, with each
 * one's BM25 weight for the stem, best first. Its _id is made, not drawn: the first two bytes are
 * 65535 minus the chunk's best weight, the rest random. So reading `{ t: stem }` in _id order (the
 * `{ t: 1, _id: 1 }` index) gives the chunks with the heaviest documents first, and a query reads
 * only a stem's best few chunks, on the embedded database (whose patch pushes `t` and the _id order
 * down to SQLite) as on MongoDB. Chunks are written, never edited: an edited document's new postings
 * come in new chunks, and a query checks every candidate against its SearchDoc.
 *
 * SearchPrefix: title-word prefixes of published posts, for suggestions as one types; _id made
 * from the publication time (newest first) and a hash.
 */
const searchDocSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    /** c: comment, p: post. */
    k: { type: String, enum: ['c', 'p'], required: true },
    /**
     * Stems and their weighted counts, "stem=count stem=count": one string, because the embedded
     * database converts every array element one by one (a string is several times cheaper to write).
     */
    tf: { type: String, default: '' },
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
  },
  { versionKey: false },
);
searchDocSchema.index({ post: 1 });

export interface SearchDoc {
  _id: Types.ObjectId;
  k: 'c' | 'p';
  tf: string;
  len: number;
  st: string;
  post: Types.ObjectId;
  pub: boolean;
  tags: string[];
  au: string;
  at: Date;
  n: number;
}

export const SearchDocModel = mongoose.model('SearchDoc', searchDocSchema);

const searchPostingSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    t: { type: String, required: true },
    /**
     * Up to 64 documents and their weights for the stem, best first, packed: base64 of 14 bytes
     * each (the 12-byte id, then the weight 0-65535). A string, not arrays: see SearchDoc.tf.
     */
    p: { type: String, required: true },
  },
  { versionKey: false },
);
searchPostingSchema.index({ t: 1, _id: 1 });

export const SearchPostingModel = mongoose.model('SearchPosting', searchPostingSchema);

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
