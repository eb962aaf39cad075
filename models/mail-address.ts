import mongoose, { Schema } from 'mongoose';

/**
 * A guest's email address, keyed by the address itself: confirmed once through a link before any
 * reply email goes to it, and stopped when its owner unsubscribes.
 */
const mailAddressSchema = new Schema(
  {
    _id: { type: String, required: true },
    confirmedAt: { type: Date, default: null },
    stopped: { type: Boolean, default: false },
    /** When a confirmation link was last mailed to it: at most one a day, whoever asks. */
    askedAt: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);

export interface MailAddress {
  _id: string;
  confirmedAt: Date | null;
  stopped: boolean;
  askedAt?: Date | null;
}
export const MailAddressModel = mongoose.model('MailAddress', mailAddressSchema);
