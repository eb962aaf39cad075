import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

/**
 * guest: name only; member: a signed-in commenter; columnist: an editor; staff: a moderator or admin;
 * letter-writer: the reader whose letter the post answers, through their private link.
 */
export const AUTHOR_KINDS = ['guest', 'member', 'columnist', 'staff', 'letter-writer'] as const;
/** deleted: by its author; removed: by a moderator. Both keep their place so replies stay attached. */
export const VISIBILITY = ['visible', 'pending', 'removed', 'deleted'] as const;

const commentSchema = new Schema(
  {
    post: { type: Schema.Types.ObjectId, ref: 'Post', required: true },
    /** Null for a comment on the post itself. */
    parent: { type: Schema.Types.ObjectId, ref: 'Comment', default: null },
    /** Every ancestor, root first; empty for a top-level comment. */
    ancestors: { type: [Schema.Types.ObjectId], default: [] },
    /** The top-level comment of this comment's subthread (itself when top-level). */
    root: { type: Schema.Types.ObjectId, required: true },
    depth: { type: Number, required: true, min: 0 },
    /** 1, 2, 3… in posting order within the post; unique, so readers can say "see #7". */
    number: { type: Number, required: true, min: 1 },
    authorName: { type: String, required: true, trim: true, maxlength: 60 },
    /** Private: never rendered, never returned by the API. */
    authorEmail: { type: String, default: '', select: false },
    authorKind: { type: String, enum: AUTHOR_KINDS, default: 'guest', required: true },
    /** The account that wrote it; null for guests. */
    authorUser: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    /** A guest asked for replies by email (sent once the address is confirmed). */
    notifyReplies: { type: Boolean, default: false },
    /** ...and confirmed it through the link mailed for this comment (only then do replies go out). */
    notifyConfirmed: { type: Boolean, default: false },
    /** The account whose comment this one replies to (not when it replies to itself): its replies inbox. */
    parentAuthor: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    editedAt: { type: Date, default: null },
    /** The commenter's website (imports keep it; not shown). */
    authorUrl: { type: String, default: '', select: false },
    /** Where an imported comment came from, e.g. "wordpress:comment:123:456" (its _id derives from it). */
    sourceKey: { type: String, default: '' },
    bodySource: { type: String, required: true },
    bodyHtml: { type: String, required: true },
    status: { type: String, enum: VISIBILITY, default: 'visible', required: true },
    /** Why a pending comment is held: first comment, links, suspect words, reports. */
    heldReason: { type: String, default: '' },
    /** A moderator's reason for removing it (shown in the queues, not to readers). */
    removedReason: { type: String, default: '' },
    /** What it was when removed: one removed from the held queue goes back there when restored. */
    removedFrom: { type: String, enum: ['visible', 'pending', null], default: null },
    /** No new replies anywhere under this comment. */
    locked: { type: Boolean, default: false },
    /** Accounts the text mentions (@name), linked and told when it is shown. */
    mentions: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
    /** A columnist's pick: shown above the thread, newest pick first (null: not featured). */
    featuredAt: { type: Date, default: null },
    /** How many readers like it (recounted from the likes collection after each like or unlike). */
    likeCount: { type: Number, default: 0, min: 0 },
    reportCount: { type: Number, default: 0, min: 0 },
    /** Hashed IP of the writer, for IP blocks; never shown. */
    ipHash: { type: String, default: '', select: false },
  },
  { timestamps: true },
);

// Every query on comments names one of these first fields (tested with the database's explain):
// a thread by post (and the number claim), queues by status, a writer's history by account or email.
// Lists are read newest first by _id, which the embedded database reads in index order.
commentSchema.index({ post: 1, number: 1 }, { unique: true });
commentSchema.index({ status: 1, _id: -1 });
commentSchema.index({ authorUser: 1, _id: -1 });
commentSchema.index({ parentAuthor: 1, _id: -1 });
// A commenter's history for moderators, by address.
commentSchema.index({ ipHash: 1, _id: -1 });
commentSchema.index({ authorEmail: 1, _id: -1 });

export type Comment = InferSchemaType<typeof commentSchema> & { _id: Types.ObjectId };
export const CommentModel = mongoose.model('Comment', commentSchema);
