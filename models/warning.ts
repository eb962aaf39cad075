import mongoose, { Schema, type Types } from 'mongoose';

/** A moderator's warning to an account: shown on its next page, and it must be acknowledged before commenting again. */
const warningSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    reason: { type: String, required: true, maxlength: 1000 },
    byName: { type: String, required: true },
    acknowledgedAt: { type: Date, default: null },
  },
  { timestamps: true },
);
warningSchema.index({ user: 1, _id: -1 });

export interface Warning {
  _id: Types.ObjectId;
  user: Types.ObjectId;
  reason: string;
  byName: string;
  acknowledgedAt: Date | null;
  createdAt: Date;
}
export const WarningModel = mongoose.model('Warning', warningSchema);
