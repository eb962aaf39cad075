import mongoose, { type Types } from 'mongoose';
import { PostModel } from '../../../models/post.js';
import { UserModel } from '../../../models/user.js';

/** How stale the names of other processes' new accounts and posts may be. */
const REFRESH_MS = 2000;
/** How stale another process's byline change on an existing post may be. */
const BYLINES_MS = 60000;
/** Past this many names (about 60 bytes each) the registry gives up memory and asks the database. */
const DEFAULT_MAX_NAMES = 500000;

/** Documents read per query while loading. */
const PAGE = 5000;

/**
 * The folded names a guest may not use (every account's, every byline's), held in memory so a
 * guest's comment costs no database round trip for its name. Exact for what this process writes;
 * what another process writes is read within two seconds (new accounts and posts, found by an
 * `_id` range, which the embedded database answers from its index) or a minute (a byline changed on
 * an existing post). Names are only ever added. Until it has loaded, and past `maxNames`, it asks
 * the database instead.
 */
export class ReservedNames {
  private readonly names = new Set<string>();
  private state: 'empty' | 'loading' | 'ready' | 'too-many' = 'empty';
  private lastUser: Types.ObjectId | null = null;
  private lastPost: Types.ObjectId | null = null;
  private refreshedAt = 0;
  private bylinesAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxNames = DEFAULT_MAX_NAMES,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** A name this process has just given out (a new account, a byline). */
  add(key: string): void {
    if (key && this.state !== 'too-many') this.names.add(key);
  }

  /** Whether a folded name belongs to an account or a byline. */
  async has(key: string): Promise<boolean> {
    if (!key) return false;
    if (this.state === 'empty') this.refresh();
    if (this.state !== 'ready') return nameInDatabase(key);
    if (this.now() - this.refreshedAt >= REFRESH_MS) this.refresh();
    return this.names.has(key);
  }

  /** Starts the first load if none has been made (at boot), and resolves when the current read ends. */
  async warm(): Promise<void> {
    if (this.state === 'empty') this.refresh();
    await this.refreshing;
  }

  /** Starts reading what is new since the last read, once at a time; failures leave the old set. */
  private refresh(): void {
    if (this.refreshing) return;
    if (this.state === 'empty') this.state = 'loading';
    this.refreshing = this.readNew()
      .then(() => {
        if (this.state === 'loading') this.state = 'ready';
      })
      .catch((err: unknown) => {
        this.onError(err);
        if (this.state === 'loading') this.state = 'empty';
      })
      .finally(() => {
        this.refreshing = null;
      });
  }

  private async readNew(): Promise<void> {
    const started = this.now();
    const allBylines = started - this.bylinesAt >= BYLINES_MS;
    const users = await this.readAfter(UserModel, 'nameKey', lookBack(this.lastUser));
    if (users === 'too-many') return this.giveUp();
    const posts = await this.readAfter(
      PostModel,
      'authorNameKey',
      allBylines ? null : lookBack(this.lastPost),
    );
    if (posts === 'too-many') return this.giveUp();
    if (users && String(users) > String(this.lastUser ?? '')) this.lastUser = users;
    if (posts && String(posts) > String(this.lastPost ?? '')) this.lastPost = posts;
    if (allBylines) this.bylinesAt = started;
    this.refreshedAt = started;
  }

  private giveUp(): void {
    this.state = 'too-many';
    this.names.clear();
  }

  /**
   * Adds the keys of the documents after `after`, in `_id` order and pages of PAGE, and returns
   * the last `_id` read (null when there was nothing new).
   */
  private async readAfter(
    model: typeof UserModel | typeof PostModel,
    field: string,
    after: Types.ObjectId | null,
  ): Promise<Types.ObjectId | null | 'too-many'> {
    let last = after;
    for (;;) {
      const rows = await (model as typeof UserModel)
        .find(last ? { _id: mongoose.trusted({ $gt: last }) } : {})
        .sort({ _id: 1 })
        .limit(PAGE)
        .select(`_id ${field}`)
        .lean<Record<string, unknown>[]>();
      for (const row of rows) if (typeof row[field] === 'string' && row[field]) this.names.add(row[field]);
      if (this.names.size > this.maxNames) return 'too-many';
      if (rows.length) last = rows[rows.length - 1]._id as Types.ObjectId;
      if (rows.length < PAGE) return last === after ? null : last;
    }
  }
}

/**
 * A minute before an id: ids from several processes are not in insert order (within a second they
 * sort by each process's random part, and an insert may commit late), so each read looks back.
 */
function lookBack(id: Types.ObjectId | null): Types.ObjectId | null {
  return id
    ? mongoose.Types.ObjectId.createFromTime(Math.max(0, id.getTimestamp().getTime() / 1000 - 60))
    : null;
}

/** Whether an account or a byline has this folded name, asked of the database (both are indexed). */
export async function nameInDatabase(key: string): Promise<boolean> {
  const [user, byline] = await Promise.all([
    UserModel.exists({ nameKey: key }),
    PostModel.exists({ authorNameKey: key }),
  ]);
  return Boolean(user || byline);
}
