import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

/**
 * What readers report a comment for, in the order the report form offers them. Reports from before
 * categories have none and count as "other".
 */
export const REPORT_CATEGORIES = ['spam', 'abuse', 'off-topic', 'personal-info', 'other'] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** A reader's report of a comment; one per reader per comment (the unique index enforces it). */
const reportSchema = new Schema(
  {
    comment: { type: Schema.Types.ObjectId, ref: 'Comment', required: true },
    post: { type: Schema.Types.ObjectId, ref: 'Post', required: true },
    /** "user:<id>" or "ip:<hash>", so a reader can report a comment once. */
    reporterKey: { type: String, required: true },
    category: { type: String, enum: REPORT_CATEGORIES, default: 'other' },
    /** The reader's own words: required for "other", optional detail for the rest. */
    reason: { type: String, default: '', maxlength: 500 },
    /** The reporter's hashed address: reports from one address count once, whatever the account. */
    ipHash: { type: String, default: '' },
    /** How much the report counts towards hiding: less for guests and new accounts. */
    weight: { type: Number, default: 1 },
    resolved: { type: Boolean, default: false },
  },
  { timestamps: true },
);
reportSchema.index({ comment: 1, reporterKey: 1 }, { unique: true });
// The reported queue: open reports, newest first.
reportSchema.index({ resolved: 1, _id: -1 });

export type Report = InferSchemaType<typeof reportSchema> & { _id: Types.ObjectId };
export const ReportModel = mongoose.model('Report', reportSchema);
