import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

/** One moderator action: who did what to which target, why and when. Written once, never edited. */
const auditEntrySchema = new Schema(
  {
    actor: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    actorName: { type: String, required: true },
    action: { type: String, required: true },
    targetType: { type: String, required: true },
    targetId: { type: String, required: true },
    /** Human-readable target, e.g. "#12 on “Post title”". */
    targetLabel: { type: String, default: '' },
    reason: { type: String, default: '' },
    /** What a settings save changed, each with its value before and after. */
    changes: {
      type: [{ _id: false, field: String, before: String, after: String }],
      default: undefined,
    },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
// The log is read newest first by _id, whole or by action or by actor.
auditEntrySchema.index({ action: 1, _id: -1 });
auditEntrySchema.index({ actorName: 1, _id: -1 });

export type AuditEntry = InferSchemaType<typeof auditEntrySchema> & { _id: Types.ObjectId };
export const AuditEntryModel = mongoose.model('AuditEntry', auditEntrySchema);
