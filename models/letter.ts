import mongoose, { Schema, type InferSchemaType, type Types } from 'mongoose';

export const LETTER_STATUSES = ['new', 'shortlisted', 'answered', 'declined', 'archived'] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];

const noteSchema = new Schema(
  {
    by: { type: String, required: true },
    text: { type: String, required: true, maxlength: 4000 },
    at: { type: Date, required: true },
  },
  { _id: false },
);

/** A reader's question, from the Ask form to the published answer. The email is private. */
const letterSchema = new Schema(
  {
    /** Shown to the reader on the confirmation page, e.g. "Q-7K3F9Q". */
    reference: { type: String, required: true, unique: true },
    subject: { type: String, required: true, maxlength: 200 },
    body: { type: String, required: true },
    /** The editor's redacted version, which is what gets published. Empty: not redacted yet. */
    redactedBody: { type: String, default: '' },
    pseudonym: { type: String, default: '', maxlength: 60 },
    email: { type: String, required: true, select: false },
    consentPublish: { type: Boolean, required: true },
    wantsAnonymized: { type: Boolean, default: false },
    status: { type: String, enum: LETTER_STATUSES, default: 'new', required: true },
    notes: { type: [noteSchema], default: [] },
    post: { type: Schema.Types.ObjectId, ref: 'Post', default: null },
    notifiedAt: { type: Date, default: null },
    ipHash: { type: String, default: '', select: false },
  },
  { timestamps: true },
);
// The inbox: newest first by _id, whole or by status.
letterSchema.index({ status: 1, _id: -1 });

export type Letter = InferSchemaType<typeof letterSchema> & { _id: Types.ObjectId };
export const LetterModel = mongoose.model('Letter', letterSchema);
