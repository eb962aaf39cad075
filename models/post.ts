import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

/** scheduled: publishes itself when publishedAt comes. */
export const POST_STATUSES = ['draft', 'scheduled', 'published'] as const;
export const COMMENT_STATUSES = ['open', 'closed'] as const;

const postSchema = new Schema(
  {
    title: { type: String, required: true, trim: true, maxlength: 300 },
    slug: { type: String, required: true, unique: true },
    /** The reader's letter as written (Markdown), and its sanitized HTML. */
    letterSource: { type: String, default: '' },
    letterHtml: { type: String, default: '' },
    /** The columnist's answer (Markdown), and its sanitized HTML. */
    answerSource: { type: String, default: '' },
    answerHtml: { type: String, default: '' },
    /** Plain-text teaser for lists and feeds. */
    excerpt: { type: String, default: '' },
    tags: { type: [String], default: [] },
    authorName: { type: String, required: true, trim: true, maxlength: 80 },
    /** The author's name folded for look-alike checks (guests may not comment under it). */
    authorNameKey: { type: String, default: '' },
    status: { type: String, enum: POST_STATUSES, default: 'draft', required: true },
    publishedAt: { type: Date, default: null },
    commentStatus: { type: String, enum: COMMENT_STATUSES, default: 'open', required: true },
    /** A moderator's word to readers when closing comments, shown above "Comments are closed." */
    closedNote: { type: String, default: '', maxlength: 500 },
    /** markdown: written here; html: imported (sanitized HTML kept as the source). */
    format: { type: String, enum: ['markdown', 'html'], default: 'markdown' },
    /** Where an imported post came from, e.g. "wordpress:post:123" (its _id derives from it). */
    sourceKey: { type: String, default: '' },
    /** The reader letter this post answers, when it came through the Ask form. */
    letter: { type: Schema.Types.ObjectId, ref: 'Letter', default: null },
    /**
     * Changes (to a fresh random value) after every write to the post's thread,
     * so readers can cache a thread and revalidate it with one lookup by _id.
     */
    threadVersion: { type: String, default: '' },
    /**
     * Visible comments. Derived: set (never $inc'd) from a fresh read of the
     * thread after each write, and repaired by any reader that finds it off.
     */
    commentCount: { type: Number, default: 0, min: 0 },
  },
  { timestamps: true },
);

// Lists of published posts are read through post listings (models/post-listing.ts).
postSchema.index({ status: 1, publishedAt: -1 });
postSchema.index({ authorNameKey: 1 });

export type Post = InferSchemaType<typeof postSchema> & { _id: Types.ObjectId };
export const PostModel = mongoose.model('Post', postSchema);
