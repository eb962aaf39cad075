import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

/**
 * An email waiting to go out, stored so that it survives a restart and is retried with backoff.
 * `key` makes a notification enqueued twice one job. Claims (mail-claim.ts) make sure that two
 * processes never send one attempt twice.
 */
const mailJobSchema = new Schema(
  {
    key: { type: String, required: true, unique: true },
    to: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    /** Extra headers (List-Unsubscribe and List-Unsubscribe-Post for notifications). */
    headers: { type: Map, of: String, default: {} },
    status: { type: String, enum: ['pending', 'sent', 'failed'], default: 'pending', required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lastError: { type: String, default: '' },
    sentAt: { type: Date, default: null },
  },
  { timestamps: true },
);
mailJobSchema.index({ status: 1, _id: 1 });

export type MailJob = InferSchemaType<typeof mailJobSchema> & { _id: Types.ObjectId };
export const MailJobModel = mongoose.model('MailJob', mailJobSchema);

/**
 * One attempt at one job, taken by the process that sends it: `_id` is "jobId:attempt", so the
 * unique `_id` lets exactly one process have it, on the embedded database and on MongoDB alike.
 */
const mailClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const MailClaimModel = mongoose.model('MailClaim', mailClaimSchema);
