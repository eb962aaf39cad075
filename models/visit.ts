import mongoose, { Schema } from 'mongoose';

/** When an account last opened a post: `_id` is "userId:postId", so reads and writes are by _id. */
const visitSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export const VisitModel = mongoose.model('Visit', visitSchema);
