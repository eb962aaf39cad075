import mongoose, { Schema, type Types } from 'mongoose';

/**
 * An account following a post: its new comments come by email, as one digest at most every
 * FOLLOW_DIGEST_MINUTES. `_id` is "userId:postId". `pendingSince` is set when a comment arrives
 * and cleared when the digest is queued; `since` is the last comment a digest included.
 */
const followSchema = new Schema(
  {
    _id: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    post: { type: Schema.Types.ObjectId, ref: 'Post', required: true },
    since: { type: Schema.Types.ObjectId, default: null },
    pending: { type: Boolean, default: false },
    pendingSince: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);
followSchema.index({ post: 1 });
followSchema.index({ pending: 1, _id: 1 });

export interface Follow {
  _id: string;
  user: Types.ObjectId;
  post: Types.ObjectId;
  since: Types.ObjectId | null;
  pending: boolean;
  pendingSince: Date | null;
}
export const FollowModel = mongoose.model('Follow', followSchema);
