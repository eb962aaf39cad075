import mongoose, { Schema } from 'mongoose';

/**
 * Web sessions. Keyed by session id, so every read is an _id lookup. Expired
 * ones are swept by the store on a timer: the embedded database has no TTL
 * indexes.
 */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    data: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
sessionSchema.index({ expiresAt: 1 });

export const SessionModel = mongoose.model('Session', sessionSchema);
