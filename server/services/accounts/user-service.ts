import mongoose, { Types } from 'mongoose';
import { ROLES, UserModel, type Role, type User } from '../../../models/user.js';
import { nameKey } from '../../lib/name-key.js';
import { OnceCache } from '../../lib/once-cache.js';
import { addressBlock } from '../../lib/ip-hash.js';
import { hashPassword, isUsableHash, verifyPassword } from '../../lib/passwords.js';
import type { Config } from '../../config/index.js';
import {
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../errors/index.js';
import { FieldErrors, isEmail } from '../../lib/validation.js';
import { nameInDatabase, type ReservedNames } from './reserved-names.js';
import type { LimiterFactory, SharedRateLimiter } from '../../lib/shared-limiter.js';
import type { DomainEvents } from '../events.js';
import { isDuplicateKey } from '../../db/upsert.js';
import { keysetPage } from '../../lib/paging.js';

/** What a session knows about its user. */
export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  /** The account's session version when this session began (see User.sessionVersion). */
  sessionVersion: number;
  /** Whether its email address has been confirmed through a link. */
  emailConfirmed?: boolean;
}

/** How long a refused sign-in (too many) waits before it answers. */
const REFUSAL_PAUSE_MS = 1000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const USERNAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{1,28}[\p{L}\p{N}]$/u;
/**
 * At most 72 bytes, as when hashes were bcrypt (which ignored the rest): refused, never cut, and a
 * bound on the work one sign-in can ask of the hash.
 */
export const PASSWORD_MAX_BYTES = 72;

/** Why a new password cannot be used, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'Use at least 10 characters for your password.';
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `That password is too long: at most ${PASSWORD_MAX_BYTES} bytes (72 letters, fewer with accents or emoji).`;
  }
  return null;
}

/** The name as it will be shown (spacing folded), its folded key, and what is wrong with it. */
export function checkUsername(raw: string, errors: FieldErrors): { username: string; key: string } {
  const username = raw.trim().replace(/\s+/g, ' ');
  const key = nameKey(username);
  if (!USERNAME.test(username)) {
    errors.add('username', 'Use 3 to 30 letters, numbers, spaces, dots, dashes or underscores.');
  } else if (key.length < 3) {
    errors.add('username', 'Your name needs at least three letters or numbers.');
  }
  return { username, key };
}

/** The answer when a name, or one that looks just like it, belongs to someone else. */
export const NAME_TAKEN = 'That name, or one that looks just like it, is already in use.';

export function toSessionUser(
  user: Pick<User, '_id' | 'username' | 'role'> & {
    sessionVersion?: number | null;
    emailConfirmedAt?: Date | null;
  },
): SessionUser {
  return {
    id: String(user._id),
    username: user.username,
    role: user.role,
    sessionVersion: user.sessionVersion ?? 0,
    emailConfirmed: Boolean(user.emailConfirmedAt),
  };
}

/** Accounts on one page of the admin's list. */
const USERS_PAGE = 50;

export interface UserList {
  users: (SessionUser & { createdAt: Date })[];
  /** Every moderator, editor and admin (first page only). */
  staff: (SessionUser & { createdAt: Date })[];
  /** The id to read the next page from, or null on the last. */
  older: string | null;
}

/** What the user service writes to the audit log (AuditService.record, which imports this file). */
interface RoleAudit {
  record(
    actor: SessionUser,
    entry: {
      action: 'user.role';
      targetType: 'user';
      targetId: string;
      targetLabel: string;
      changes: { field: string; before: string; after: string }[];
    },
  ): Promise<void>;
}

export class UserService {
  private readonly byIp: SharedRateLimiter;
  private readonly byAccountAndIp: SharedRateLimiter;
  private readonly byAccount: SharedRateLimiter;
  private readonly signinsByPair: SharedRateLimiter;
  private readonly signinsByIp: SharedRateLimiter;
  /** Compared against when the username is unknown, at the real cost, so a miss takes as long as a hit. */
  private standIn: Promise<string> | undefined;

  /**
   * Accounts as sessions see them, remembered ten seconds: a signed-in reader's every request needs
   * one, and it changes rarely. Forgotten at once in this process when it changes; other processes
   * hear of it through `account.sessions` (across workers) or read it again within the ten seconds.
   */
  private readonly sessionUsers = new OnceCache<SessionUser | null>(10000, 10000);

  constructor(
    private readonly config: Pick<
      Config,
      'passwordCost' | 'loginMaxFailures' | 'loginMaxSignins' | 'loginWindowMinutes'
    >,
    limiter: LimiterFactory,
    /** Told of each new account's name, so guests' comments see it at once. */
    private readonly names?: Pick<ReservedNames, 'add'>,
    private readonly events?: Pick<DomainEvents, 'emit'>,
    /** Where role changes are written (who gave whom which powers): the AuditService. */
    private readonly audit?: RoleAudit,
  ) {
    const windowMs = config.loginWindowMinutes * 60000;
    // An address that guesses a lot is stopped; so is one address guessing one account. Failures
    // on an account from everywhere only slow its sign-ins down, so no one can lock its owner out.
    this.byIp = limiter('login-ip', config.loginMaxFailures * 4, windowMs);
    this.byAccountAndIp = limiter('login-account-ip', config.loginMaxFailures, windowMs);
    this.byAccount = limiter('login-account', config.loginMaxFailures, windowMs);
    // Every sign-in costs a hash, right or wrong: one address signing in again and again (to one
    // account, or to many) is stopped too, never the account's owner elsewhere.
    this.signinsByPair = limiter('signin-account-ip', config.loginMaxSignins, windowMs);
    this.signinsByIp = limiter('signin-ip', config.loginMaxSignins * 5, windowMs);
  }

  async register(input: { username: string; password: string; email: string }): Promise<SessionUser> {
    const errors = new FieldErrors();
    const { username, key } = checkUsername(input.username, errors);
    const email = input.email.trim().toLowerCase();
    const weak = passwordProblem(input.password);
    if (weak) errors.add('password', weak);
    if (email && !isEmail(email)) errors.add('email', 'That does not look like an email address.');
    errors.throwIfAny();

    if (await this.isNameTaken(username)) {
      throw new ValidationError('Please choose another name.', {
        username: NAME_TAKEN,
      });
    }
    const passwordHash = await hashPassword(input.password, this.config.passwordCost);
    try {
      // role is never taken from input: everyone starts as a commenter.
      const user = await UserModel.create({
        username,
        usernameLower: username.toLowerCase(),
        nameKey: key,
        email,
        passwordHash,
        role: 'commenter',
      });
      this.names?.add(key);
      return toSessionUser(user);
    } catch (err) {
      if (isDuplicateKey(err)) {
        throw new ValidationError('Please choose another name.', {
          username: NAME_TAKEN,
        });
      }
      throw err;
    }
  }

  /**
   * Checks a username and password. Failures count per IP and per account;
   * past the limit the answer is 429 until the window slides on. The message
   * never says whether the account exists.
   */
  async authenticate(usernameRaw: unknown, passwordRaw: unknown, ip: string): Promise<SessionUser> {
    if (typeof usernameRaw !== 'string' || typeof passwordRaw !== 'string' || !usernameRaw || !passwordRaw) {
      throw new ValidationError('Enter your username and password.');
    }
    const account = usernameRaw.trim().toLowerCase();
    // An address is counted by its block (an IPv6 /64 is one client, whatever its last bits).
    const from = addressBlock(ip);
    const ipKey = `ip:${from}`;
    const pairKey = `account:${account}:ip:${from}`;
    const accountKey = `account:${account}`;
    // Counted as a failure up front, in one step (parallel guesses cannot all slip under the
    // limit), and given back if it succeeds.
    const [byIp, byPair, signins, signinsHere] = await Promise.all([
      this.byIp.take(ipKey),
      this.byAccountAndIp.take(pairKey),
      this.signinsByPair.take(pairKey),
      this.signinsByIp.take(ipKey),
    ]);
    const giveBack = () => Promise.all([byIp.undo(), byPair.undo()]);
    const busy = Math.max(signins.waitMs, signinsHere.waitMs);
    if (busy > 0) {
      await giveBack();
      // The refusal takes a moment (a timer, no CPU): a client signing in in a loop goes at this
      // pace instead of as fast as refusals can be made, and one client holds few request slots.
      await pause(REFUSAL_PAUSE_MS);
      throw new TooManyRequestsError(
        `Too many sign-ins from here. Try again in ${Math.ceil(busy / 60000)} minute(s).`,
        Math.ceil(busy / 1000),
      );
    }
    const wait = Math.max(byIp.waitMs, byPair.waitMs);
    if (wait > 0) {
      await giveBack();
      await pause(REFUSAL_PAUSE_MS);
      throw new TooManyRequestsError(
        `Too many failed sign-in attempts. Try again in ${Math.ceil(wait / 60000)} minute(s).`,
        Math.ceil(wait / 1000),
      );
    }
    // An account under attack from many addresses answers more slowly, for everyone, up to 5 s.
    const failures = await this.byAccount.count(accountKey);
    const over = failures - this.config.loginMaxFailures + 1;
    if (over > 0)
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** Math.min(over, 5))));

    const user = await UserModel.findOne({ usernameLower: account })
      .select('+passwordHash')
      .lean<User & { passwordHash: string }>();
    this.standIn ??= hashPassword('not-a-real-password', this.config.passwordCost);
    // An account without a usable hash (imported, no password yet) is compared at the real cost too,
    // so the answer's timing does not tell which accounts those are.
    const usable = isUsableHash(user?.passwordHash);
    const checked = await verifyPassword(
      passwordRaw,
      usable ? user!.passwordHash : await this.standIn,
      this.config.passwordCost,
    );
    const ok = usable && checked.ok;
    if (!user || !ok) {
      await this.byAccount.hit(accountKey);
      throw new UnauthorizedError('Username or password is incorrect.');
    }
    await giveBack();
    await Promise.all([this.byAccountAndIp.reset(pairKey), this.byAccount.reset(accountKey)]);
    // A hash from before (bcrypt, or another cost) is replaced now that the password is known.
    if (checked.rehash) {
      const passwordHash = await hashPassword(passwordRaw, this.config.passwordCost);
      await UserModel.updateOne(
        { _id: user._id, passwordHash: user.passwordHash },
        { $set: { passwordHash } },
      );
    }
    return toSessionUser(user);
  }

  async findById(id: string): Promise<SessionUser | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    return this.sessionUsers.once(id, () => this.readSessionUser(id));
  }

  /**
   * Forgets what this process remembers of an account (its name, role, session version): after
   * anything that changes them (`account.sessions`), the next request reads it again.
   */
  forget(userId: string): void {
    this.sessionUsers.forget(userId);
  }

  private async readSessionUser(id: string): Promise<SessionUser | null> {
    const user = await UserModel.findById(id)
      .select('username role sessionVersion emailConfirmedAt')
      .lean<User>();
    return user ? toSessionUser(user) : null;
  }

  async findByUsername(username: string): Promise<SessionUser> {
    const user = await UserModel.findOne({ usernameLower: String(username).toLowerCase() })
      .select('username role sessionVersion emailConfirmedAt')
      .lean<User>();
    if (!user) throw new NotFoundError('There is no commenter by that name.');
    return toSessionUser(user);
  }

  /**
   * Whether a name would pass for a registered user or for staff: any account
   * name, and every columnist name on a post, compared by their folded keys.
   */
  async isNameTaken(name: string): Promise<boolean> {
    const key = nameKey(name);
    return key ? nameInDatabase(key) : false;
  }

  /**
   * The admin's list of accounts, read by index however many there are: those a name finds (its
   * exact name, or one that only looks like it), else every account newest first, USERS_PAGE at a
   * time from `before` (an account id); and, on the first page, every staff account.
   */
  async list(query: { name?: string; before?: string } = {}): Promise<UserList> {
    const fields = 'username role createdAt';
    const listed = (users: User[]) => users.map((u) => ({ ...toSessionUser(u), createdAt: u.createdAt }));
    const name = (query.name ?? '').trim();
    if (name) {
      const found = await UserModel.find({
        $or: [{ usernameLower: name.toLowerCase() }, { nameKey: nameKey(name) }],
      })
        .select(fields)
        .lean<User[]>();
      return { users: listed(found), staff: [], older: null };
    }
    const before = Types.ObjectId.isValid(query.before ?? '') ? new Types.ObjectId(query.before) : null;
    const [users, staff] = await Promise.all([
      UserModel.find(before ? { _id: mongoose.trusted({ $lt: before }) } : {})
        .sort({ _id: -1 })
        .limit(USERS_PAGE + 1)
        .select(fields)
        .lean<User[]>(),
      before
        ? []
        : UserModel.find({ role: mongoose.trusted({ $in: ROLES.filter((r) => r !== 'commenter') }) })
            .sort({ _id: -1 })
            .limit(1000)
            .select(fields)
            .lean<User[]>(),
    ]);
    const { items, older } = keysetPage(users, USERS_PAGE);
    return { users: listed(items), staff: listed(staff), older };
  }

  async setRole(actor: SessionUser, userId: string, role: string): Promise<SessionUser> {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new ValidationError('Choose a valid role.', { role: `Role must be one of ${ROLES.join(', ')}.` });
    }
    if (actor.id === userId && role !== 'admin') {
      throw new ValidationError('You cannot remove your own admin role.', {
        role: 'Ask another admin to do it.',
      });
    }
    const before = Types.ObjectId.isValid(userId)
      ? await UserModel.findById(userId).select('role').lean<Pick<User, 'role'>>()
      : null;
    // updateOne, not findByIdAndUpdate: FerretDB refuses findAndModify with the projection
    // that Mongoose adds for select:false fields.
    const result = before
      ? await UserModel.updateOne({ _id: userId }, { $set: { role } })
      : { matchedCount: 0 };
    const user = result.matchedCount
      ? await UserModel.findById(userId).select('username role sessionVersion emailConfirmedAt').lean<User>()
      : null;
    if (!user) throw new NotFoundError('There is no such user.');
    // Whether it changed (not a permission check): an unchanged role is not an action.
    const previous: string = before!.role;
    if (previous !== role) {
      await this.audit?.record(actor, {
        action: 'user.role',
        targetType: 'user',
        targetId: String(user._id),
        targetLabel: user.username,
        changes: [{ field: 'Role', before: previous, after: role }],
      });
    }
    // Open sockets joined rooms for the old role (the moderators' counts): they reconnect as the new one.
    this.events?.emit('account.sessions', { userId: String(user._id) });
    return toSessionUser(user);
  }

  /** A session of the account signed out: its open sockets stop speaking for the account. */
  signedOut(userId: string): void {
    this.events?.emit('account.sessions', { userId });
  }

  /** For `npm run create-admin`: a new admin, or an existing account promoted with a new password. */
  async createAdmin(username: string, password: string): Promise<SessionUser> {
    const existing = await UserModel.findOne({ usernameLower: username.trim().toLowerCase() }).lean<User>();
    if (existing) {
      const weak = passwordProblem(password);
      if (weak) throw new ValidationError(weak);
      const passwordHash = await hashPassword(password, this.config.passwordCost);
      await UserModel.updateOne({ _id: existing._id }, { $set: { role: 'admin', passwordHash } });
      return { ...toSessionUser(existing), role: 'admin' };
    }
    const user = await this.register({ username, password, email: '' });
    await UserModel.updateOne({ _id: user.id }, { $set: { role: 'admin' } });
    return { ...user, role: 'admin' };
  }
}
