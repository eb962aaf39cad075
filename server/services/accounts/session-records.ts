import mongoose from 'mongoose';
import { SessionModel } from '../../../models/session.js';
import { upsertOne } from '../../db/upsert.js';

/**
 * Web sessions as stored: one document per session id, its data as JSON and when it expires.
 * Reads and writes are by _id (indexed on the embedded database too); expired sessions are
 * ignored on read and swept on a timer, because the embedded database has no TTL indexes.
 */
export const sessionRecords = {
  async read(sid: string, now = Date.now()): Promise<string | null> {
    const doc = await SessionModel.findById(sid).lean<{ data: string; expiresAt: Date }>();
    return doc && doc.expiresAt.getTime() > now ? doc.data : null;
  },

  async write(sid: string, data: string, expiresAt: Date): Promise<void> {
    await upsertOne(SessionModel, { _id: sid }, { $set: { data, expiresAt } });
  },

  async extend(sid: string, expiresAt: Date): Promise<void> {
    await SessionModel.updateOne({ _id: sid }, { $set: { expiresAt } });
  },

  async remove(sid: string): Promise<void> {
    await SessionModel.deleteOne({ _id: sid });
  },

  /** Deletes expired sessions; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    // trusted(): sanitizeFilter is on for every query, and this operator is ours, not user input.
    const result = await SessionModel.deleteMany({ expiresAt: mongoose.trusted({ $lte: now }) });
    return result.deletedCount;
  },
};
