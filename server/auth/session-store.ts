import session from 'express-session';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { SessionModel } from '../../models/session.js';

type Callback = (err?: unknown, value?: session.SessionData | null) => void;

/**
 * express-session store on MongoDB. Reads and writes are by _id (fast on the
 * embedded database too); expired sessions are ignored on read and swept on
 * a timer, because the embedded database has no TTL indexes.
 */
export class MongoSessionStore extends session.Store {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: { maxAgeMs: number; sweepEveryMs?: number; logger?: Logger }) {
    super();
    const every = options.sweepEveryMs ?? 10 * 60 * 1000;
    if (every > 0) {
      this.sweeper = setInterval(() => void this.sweep(), every);
      this.sweeper.unref();
    }
  }

  private expiry(data: session.SessionData): Date {
    const expires = data.cookie?.expires;
    return expires ? new Date(expires) : new Date(Date.now() + this.options.maxAgeMs);
  }

  override get(sid: string, callback: Callback): void {
    SessionModel.findById(String(sid))
      .lean<{ data: string; expiresAt: Date }>()
      .then((doc) => {
        if (!doc || doc.expiresAt.getTime() <= Date.now()) return callback(null, null);
        callback(null, JSON.parse(doc.data) as session.SessionData);
      })
      .catch((err: unknown) => callback(err));
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    SessionModel.updateOne(
      { _id: String(sid) },
      { $set: { data: JSON.stringify(data), expiresAt: this.expiry(data) } },
      { upsert: true },
    )
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    SessionModel.updateOne({ _id: String(sid) }, { $set: { expiresAt: this.expiry(data) } })
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    SessionModel.deleteOne({ _id: String(sid) })
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  /** Deletes expired sessions; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    try {
      // trusted(): sanitizeFilter is on for every query, and this operator is ours, not user input.
      const result = await SessionModel.deleteMany({ expiresAt: mongoose.trusted({ $lte: now }) });
      return result.deletedCount;
    } catch (err) {
      this.options.logger?.warn({ err }, 'session sweep failed');
      return 0;
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
