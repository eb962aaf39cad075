import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

export const ROLES = ['commenter', 'moderator', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const userSchema = new Schema(
  {
    /** As the user typed it, shown on comments and the profile. */
    username: { type: String, required: true, trim: true, maxlength: 30 },
    /** Lowercased copy for case-insensitive uniqueness (the embedded database has no collation). */
    usernameLower: { type: String, required: true, unique: true },
    /** Name with case, spacing, punctuation and look-alike characters folded away, to stop impersonation. */
    nameKey: { type: String, required: true, unique: true },
    email: { type: String, default: '', select: false },
    passwordHash: { type: String, required: true, select: false },
    role: { type: String, enum: ROLES, default: 'commenter', required: true },
    /** When the account's email address was confirmed through a link (null: not yet). */
    emailConfirmedAt: { type: Date, default: null },
    /** Goes up when the password changes: sessions made before then end (they carry the old one). */
    sessionVersion: { type: Number, default: 0 },
    /** Email me when someone replies to my comments (on unless turned off). */
    notifyReplies: { type: Boolean, default: true },
    /** The newest reply to this account's comments that it has seen (its replies page marks the rest). */
    repliesSeenId: { type: Schema.Types.ObjectId, default: null },
    /** Where an imported account came from, e.g. "wordpress:user:2" (it has no password until reset). */
    sourceKey: { type: String, default: '' },
  },
  { timestamps: true },
);

userSchema.index({ sourceKey: 1 });
// The admin's list of staff accounts.
userSchema.index({ role: 1 });
// Password resets find accounts by their address.
userSchema.index({ email: 1 });

export type User = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };
export const UserModel = mongoose.model('User', userSchema);
