import session from 'express-session';
import type { Logger } from 'pino';
import { sessionRecords } from '../services/accounts/session-records.js';

type Callback = (err?: unknown, value?: session.SessionData | null) => void;

/**
 * express-session's store on our database (sessionRecords), with a sweeper for expired sessions
 * (what connect-mongo's `autoRemove: 'interval'` does). Not connect-mongo: it needs the database
 * name when it is built, before the embedded database or a test's own database is chosen.
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
    sessionRecords
      .read(String(sid))
      .then((data) => callback(null, data ? (JSON.parse(data) as session.SessionData) : null))
      .catch((err: unknown) => callback(err));
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    sessionRecords
      .write(String(sid), JSON.stringify(data), this.expiry(data))
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    sessionRecords
      .extend(String(sid), this.expiry(data))
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    sessionRecords
      .remove(String(sid))
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  /** Deletes expired sessions; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    try {
      return await sessionRecords.sweep(now);
    } catch (err) {
      this.options.logger?.warn({ err }, 'session sweep failed');
      return 0;
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
