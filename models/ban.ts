import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

export const BAN_KINDS = ['user', 'email', 'ip'] as const;

/**
 * A sanction: a user suspended (until a date) or banned (no end), a guest
 * email banned, or an IP blocked (stored as a keyed hash, never in clear).
 */
const banSchema = new Schema(
  {
    kind: { type: String, enum: BAN_KINDS, required: true },
    /** User id, lowercased email, or IP hash. */
    value: { type: String, required: true },
    /** Who, as moderators know them: the account's name, the email, the guests at the address. */
    label: { type: String, default: '' },
    /** Null: permanent. */
    until: { type: Date, default: null },
    reason: { type: String, default: '', maxlength: 500 },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    lifted: { type: Boolean, default: false },
  },
  { timestamps: true },
);
banSchema.index({ kind: 1, value: 1 });

export type Ban = InferSchemaType<typeof banSchema> & { _id: Types.ObjectId };
export const BanModel = mongoose.model('Ban', banSchema);
