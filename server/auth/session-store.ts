import session from 'express-session';
import type { Logger } from 'pino';
import { sessionRecords } from '../services/accounts/session-records.js';
import { RecentMap } from '../lib/recent-map.js';

type Callback = (err?: unknown, value?: session.SessionData | null) => void;

/** How long a session read is used again without reading it. */
const READ_FOR_MS = 5000;
/** How often a session's expiry is moved on, at most, by one process. */
const TOUCH_EVERY_MS = 5 * 60 * 1000;
const MAX_REMEMBERED = 20000;

/**
 * express-session's store on our database (sessionRecords), with a sweeper for expired sessions
 * (what connect-mongo's `autoRemove: 'interval'` does). Not connect-mongo: it needs the database
 * name when it is built, before the embedded database or a test's own database is chosen.
 */
export class MongoSessionStore extends session.Store {
  private sweeper: NodeJS.Timeout | undefined;
  /**
   * Sessions read in the last few seconds, as stored (JSON): a signed-in reader's pages read
   * theirs on every request. This process's own writes and deletions update it at once; another
   * process's are seen within READ_FOR_MS (its sign-out also ends the account's sessions through
   * the session version, which is checked on the account).
   */
  private readonly recent = new RecentMap<string, { data: string | null; at: number }>(MAX_REMEMBERED);
  /** When this process last moved each session's expiry: at most every TOUCH_EVERY_MS, not per request. */
  private readonly touched = new RecentMap<string, number>(MAX_REMEMBERED);
  /** Bumped by each write or deletion of a session: a read that one overtook is not remembered. */
  private readonly writes = new RecentMap<string, number>(MAX_REMEMBERED);
  private readonly destroyed = new Set<(sid: string) => void>();

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
    const key = String(sid);
    const now = Date.now();
    const found = this.recent.get(key);
    const generation = this.writes.get(key) ?? 0;
    const read =
      found && now - found.at < READ_FOR_MS ? Promise.resolve(found.data) : sessionRecords.read(key);
    read
      .then((data) => {
        const fresh = !found || found.data !== data || now - found.at >= READ_FOR_MS;
        if (fresh && (this.writes.get(key) ?? 0) === generation) this.remember(key, data, now);
        const parsed = data ? (JSON.parse(data) as session.SessionData) : null;
        // Remembered past its expiry: gone, as the database would say.
        callback(null, parsed && this.expiry(parsed).getTime() > now ? parsed : null);
      })
      .catch((err: unknown) => callback(err));
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const key = String(sid);
    const json = JSON.stringify(data);
    this.wrote(key);
    sessionRecords
      .write(key, json, this.expiry(data))
      .then(() => {
        this.remember(key, json, Date.now());
        this.touched.set(key, Date.now());
        callback?.();
      })
      .catch((err: unknown) => callback?.(err));
  }

  /** Moves the session's expiry on, at most every few minutes (its lifetime is days). */
  override touch(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const key = String(sid);
    const last = this.touched.get(key);
    if (last !== undefined && Date.now() - last < TOUCH_EVERY_MS) {
      callback?.();
      return;
    }
    this.touched.set(key, Date.now());
    sessionRecords
      .extend(key, this.expiry(data))
      .then(() => callback?.())
      .catch((err: unknown) => {
        this.touched.delete(key);
        callback?.(err);
      });
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    const key = String(sid);
    this.wrote(key);
    this.touched.delete(key);
    for (const listener of this.destroyed) listener(key);
    sessionRecords
      .remove(key)
      .then(() => callback?.())
      .catch((err: unknown) => callback?.(err));
  }

  /** A session ended in another process (the bus said so): read it again. */
  forget(sid: string): void {
    this.wrote(sid);
  }

  /** Calls `listener` with each session this process ends; returns the function that stops it. */
  onDestroyed(listener: (sid: string) => void): () => void {
    this.destroyed.add(listener);
    return () => this.destroyed.delete(listener);
  }

  private wrote(sid: string): void {
    this.recent.delete(sid);
    this.writes.set(sid, (this.writes.get(sid) ?? 0) + 1);
  }

  private remember(sid: string, data: string | null, at: number): void {
    this.recent.set(sid, { data, at });
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
