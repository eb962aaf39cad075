import mongoose, { Schema, type Types } from 'mongoose';

/**
 * A moderator's decision on a comment, which the spam classifier learns from: approved or restored
 * is "ham", rejected or removed is "spam". One per comment (its _id), the latest decision winning.
 */
const spamDecisionSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    label: { type: String, enum: ['spam', 'ham'], required: true },
    text: { type: String, required: true },
  },
  { timestamps: true },
);

export interface SpamDecision {
  _id: Types.ObjectId;
  label: 'spam' | 'ham';
  text: string;
}

export const SpamDecisionModel = mongoose.model('SpamDecision', spamDecisionSchema);

/**
 * A trained classifier, numbered; the highest number is in force. Holds the model (wink's JSON),
 * and the scores it gave the held-out decisions, so precision and recall can be shown at any
 * threshold an admin picks. Only the last few are kept.
 */
const spamModelSchema = new Schema(
  {
    _id: { type: Number, required: true },
    model: { type: String, required: true },
    spam: { type: Number, required: true },
    ham: { type: Number, required: true },
    /** What this model's measuring run scored each held-out decision (0-100), and whether it was spam. */
    heldOut: { type: [{ _id: false, score: Number, spam: Boolean }], default: [] },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export interface SpamModelRecord {
  _id: number;
  model: string;
  spam: number;
  ham: number;
  heldOut: { score: number; spam: boolean }[];
  createdAt: Date;
}

export const SpamModelModel = mongoose.model('SpamModel', spamModelSchema);

/** Who trains in a given period: the process whose insert of the period's number succeeds. */
const spamTrainingClaimSchema = new Schema(
  { _id: { type: String, required: true } },
  { timestamps: { createdAt: true, updatedAt: false } },
);
export const SpamTrainingClaimModel = mongoose.model('SpamTrainingClaim', spamTrainingClaimSchema);
