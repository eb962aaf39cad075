import mongoose, { Schema, type Types } from 'mongoose';

/**
 * One save of the admin settings page: every editable setting's value as saved, numbered. Written
 * once, never edited; the highest number is in force. A save inserts the next number, so two admins
 * saving at once cannot both win (the second gets a duplicate-key error and is asked to look again),
 * which a conditional update could not promise on the embedded database.
 */
const settingsRevisionSchema = new Schema(
  {
    _id: { type: Number, required: true },
    values: { type: Schema.Types.Mixed, required: true },
    changedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    changedByName: { type: String, default: '' },
  },
  { timestamps: { createdAt: true, updatedAt: false }, minimize: false },
);

export interface SettingsRevision {
  _id: number;
  values: Record<string, unknown>;
  changedBy?: Types.ObjectId;
  changedByName: string;
  createdAt: Date;
}

export const SettingsRevisionModel = mongoose.model('SettingsRevision', settingsRevisionSchema);
