import mongoose, { Schema, type Types } from 'mongoose';

/**
 * A reader liking a comment: one per account, or for a guest one per browser (a cookie), with at
 * most a few guests of one address counted on one comment. `_id` is "<commentId>:<voter>" for an
 * account and "<commentId>:a:<address>:<n>" (n < 3) for a guest, so a second like from the same
 * account, or a fourth from one address, is refused by the database itself, whichever process takes it.
 * The comment keeps the count (`likeCount`), recounted from here after every change.
 */
const likeSchema = new Schema(
  {
    _id: { type: String, required: true },
    comment: { type: Schema.Types.ObjectId, ref: 'Comment', required: true },
    post: { type: Schema.Types.ObjectId, ref: 'Post', required: true },
    /** "u:<account id>", or "g:<keyed hash of the browser's id>" for a guest. */
    voter: { type: String, required: true },
    /** The liker's hashed address: guests of one address count a few times at most per comment. */
    ipHash: { type: String, default: '' },
  },
  { versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);
// A comment's likes (its count), and a guest address's likes on it, by the same index.
likeSchema.index({ comment: 1, ipHash: 1 });
// What one reader liked on one post: the pressed buttons on the page they read.
likeSchema.index({ post: 1, voter: 1 });

export interface Like {
  _id: string;
  comment: Types.ObjectId;
  post: Types.ObjectId;
  voter: string;
  ipHash: string;
  createdAt: Date;
}
export const LikeModel = mongoose.model('Like', likeSchema);
