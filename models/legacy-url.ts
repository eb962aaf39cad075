import mongoose, { Schema, type Types } from 'mongoose';

/**
 * An address of a site this one replaced (a WordPress permalink, `/?p=123`), keyed by its path as
 * `legacyPathKey` writes it, and the post it now answers with (a 301 to its current address).
 */
const legacyUrlSchema = new Schema(
  {
    _id: { type: String, required: true },
    post: { type: Schema.Types.ObjectId, ref: 'Post', required: true },
  },
  { timestamps: false, versionKey: false },
);

export interface LegacyUrl {
  _id: string;
  post: Types.ObjectId;
}
export const LegacyUrlModel = mongoose.model('LegacyUrl', legacyUrlSchema);
