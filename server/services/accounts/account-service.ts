import mongoose, { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { PostModel, type Post } from '../../../models/post.js';
import { UserModel, type User } from '../../../models/user.js';
import { VisitModel } from '../../../models/visit.js';
import { FollowModel } from '../../../models/follow.js';
import { WarningModel } from '../../../models/warning.js';
import type { Config } from '../../config/index.js';
import {
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../errors/index.js';
import { addressBlock } from '../../lib/ip-hash.js';
import { addressStopToken } from '../../lib/mail-stop.js';
import { MailAddressModel, type MailAddress } from '../../../models/mail-address.js';
import { hashPassword, isUsableHash, verifyPassword } from '../../lib/passwords.js';
import { sameToken, sign } from '../../lib/signing.js';
import type { LimiterFactory, SharedRateLimiter } from '../../lib/shared-limiter.js';
import type { MailQueue } from '../notifications/mail-queue.js';
import type { DomainEvents } from '../events.js';
import { findComments, type CommentStore } from '../comments/comment-store.js';
import {
  checkUsername,
  NAME_TAKEN,
  passwordProblem,
  toSessionUser,
  type SessionUser,
} from './user-service.js';
import { nameInDatabase, type ReservedNames } from './reserved-names.js';
import { FieldErrors, isEmail } from '../../lib/validation.js';
import { canAdminister } from '../../lib/roles.js';
import { isDuplicateKey, upsertOne } from '../../db/upsert.js';
import { RecentMap } from '../../lib/recent-map.js';

/** How long a password-reset link works. */
const RESET_MINUTES = 60;
/** At most one reset mail to an address this often (well inside RESET_MINUTES). */
const RESET_SPACING_MINUTES = 5;
/** How long a link confirming a new email address works. */
const EMAIL_HOURS = 24;

type Stored = User & { passwordHash: string; email: string };

/**
 * A reader's own account: forgotten passwords (a link by email, bound to the current password so it
 * works once and dies when the password changes), a password change, a new email address (in effect
 * once confirmed from that address), a download of their data, and deleting the account. A new
 * password signs out every other session: sessions carry the account's session version.
 */
/** How often one process records an account's visits to one post, at most. */
const VISIT_WRITE_EVERY_MS = 60000;

export class AccountService {
  private readonly resetsByIp: SharedRateLimiter;
  private readonly resetsByRequester: SharedRateLimiter;
  private readonly resetsToAddress: SharedRateLimiter;
  /** Confirmation links to one address, whoever asks (registrations, resends, changes). */
  private readonly linksToAddress: SharedRateLimiter;
  private readonly emailChanges: SharedRateLimiter;

  /** When this process last recorded each account's visit to each post (a write a minute at most). */
  private readonly visits = new RecentMap<string, Date>(20000);

  constructor(
    private readonly config: Pick<
      Config,
      'passwordCost' | 'sessionSecret' | 'siteUrl' | 'siteTitle' | 'accountEmailConfirmation'
    >,
    /** Mail goes through the queue: the request that causes it never waits for the mail server. */
    private readonly mail: Pick<MailQueue, 'enqueue'>,
    private readonly store: Pick<CommentStore, 'changeAllBy'>,
    limiter: LimiterFactory,
    private readonly names: Pick<ReservedNames, 'add'>,
    private readonly now: () => number = Date.now,
    private readonly events?: Pick<DomainEvents, 'emit'>,
  ) {
    this.resetsByIp = limiter('reset-ip', 20, 3600000);
    this.resetsByRequester = limiter('reset-email-from', 3, 3600000);
    // One reset mail per address every RESET_SPACING_MINUTES, whoever asks: a refusal only ever
    // follows a mail whose link still works (RESET_MINUTES), so asking on Bob's behalf cannot
    // lock Bob out, and a stranger can send him at most a few messages an hour.
    this.resetsToAddress = limiter('reset-email', 1, RESET_SPACING_MINUTES * 60000);
    this.emailChanges = limiter('email-change', 5, 3600000);
    this.linksToAddress = limiter('email-link', 3, 3600000);
  }

  /** What the account page shows: the name, role and email address. */
  async profile(actor: SessionUser): Promise<{
    username: string;
    role: string;
    email: string;
    notifyReplies: boolean;
    emailConfirmed: boolean;
  }> {
    const user = await this.stored(actor.id);
    return {
      emailConfirmed: Boolean(user.emailConfirmedAt),
      username: user.username,
      role: user.role,
      email: user.email,
      notifyReplies: user.notifyReplies !== false,
    };
  }

  /**
   * Records that the account opened a post now, and returns when it did before (null the first
   * time): the post page marks what is new since then.
   */
  async recordVisit(userId: string, postId: Types.ObjectId): Promise<Date | null> {
    const _id = `${userId}:${String(postId)}`;
    // A page of the post read again within a minute: the visit recorded then is the last one (no
    // write; the next visit after the minute records itself).
    const now = this.now();
    const recorded = this.visits.get(_id);
    if (recorded && now - recorded.getTime() < VISIT_WRITE_EVERY_MS) return recorded;
    const previous = await VisitModel.findById(_id).lean<{ at: Date }>();
    await upsertOne(VisitModel, { _id }, { $set: { at: new Date(now) } });
    this.visits.set(_id, new Date(now));
    return previous?.at ?? null;
  }

  /**
   * Changes the account's name, with the protection registration has (no one else's name or a
   * look-alike, no columnist's byline); its comments show the new name from then on.
   */
  async rename(actor: SessionUser, raw: string): Promise<SessionUser> {
    const errors = new FieldErrors();
    const { username, key } = checkUsername(raw, errors);
    errors.throwIfAny();
    const user = await this.stored(actor.id);
    const taken = () => new ValidationError('Please choose another name.', { username: NAME_TAKEN });
    // A new spelling of one's own name (case, spacing) is always allowed.
    if (key !== user.nameKey && (await nameInDatabase(key))) throw taken();
    try {
      await UserModel.updateOne(
        { _id: user._id },
        { $set: { username, usernameLower: username.toLowerCase(), nameKey: key } },
      );
    } catch (err) {
      if (isDuplicateKey(err)) throw taken();
      throw err;
    }
    this.names.add(key);
    await this.store.changeAllBy(user._id, { authorName: username });
    // Sessions show the new name (and its sockets reconnect under it).
    this.events?.emit('account.sessions', { userId: String(user._id) });
    return toSessionUser({ ...user, username });
  }

  /** Which notification emails the account gets. */
  async setNotifications(actor: SessionUser, prefs: { replies: boolean }): Promise<void> {
    const user = await this.stored(actor.id);
    await UserModel.updateOne({ _id: user._id }, { $set: { notifyReplies: prefs.replies } });
  }

  /**
   * Sends a reset link to each account with this address. Says nothing about whether there is one:
   * the caller shows the same page either way, and the mail goes out after the answer.
   */
  async requestPasswordReset(emailRaw: string, ip: string): Promise<{ send: () => Promise<void> }> {
    const email = emailRaw.trim().toLowerCase();
    if (!isEmail(email)) {
      throw new ValidationError('Enter the email address of your account.', {
        email: 'That does not look like an email address.',
      });
    }
    // Counted per requesting address and per (requester, account address): a stranger who spends
    // their own share for Bob's address leaves Bob's own request (from elsewhere) untouched.
    const from = addressBlock(ip);
    const [byIp, byRequester] = await Promise.all([
      this.resetsByIp.take(`ip:${from}`),
      this.resetsByRequester.take(`email:${email}:from:${from}`),
    ]);
    if (byIp.waitMs > 0) {
      throw new TooManyRequestsError(
        'Too many reset requests from here. Try again later.',
        Math.ceil(byIp.waitMs / 1000),
      );
    }
    // Past either limit nothing more is sent (and the answer is the same): this requester asked
    // for this address often enough, or a mail with a working link went to it minutes ago.
    if (byRequester.waitMs > 0) return { send: async () => undefined };
    if ((await this.resetsToAddress.take(`email:${email}`)).waitMs > 0)
      return { send: async () => undefined };
    const users = await UserModel.find({ email })
      .select('+passwordHash +email username sessionVersion')
      .limit(5)
      .lean<Stored[]>();
    const links = users.map((user) => `  ${user.username}: ${this.url(`/reset/${this.resetToken(user)}`)}`);
    return {
      send: async () => {
        if (!users.length) return;
        await this.mail.enqueue(`reset:${email}:${this.now()}`, {
          to: email,
          subject: `Reset your password on ${this.config.siteTitle}`,
          text: [
            'Someone (we hope you) asked to reset the password of your account:',
            '',
            ...links,
            '',
            `The link works once, for ${RESET_MINUTES} minutes.`,
            'If you did not ask, ignore this message: your password stays as it is.',
          ].join('\n'),
        });
      },
    };
  }

  /** The account a reset link is for, while it is valid. */
  async checkResetToken(token: string): Promise<SessionUser> {
    return toSessionUser(await this.userForResetToken(token));
  }

  /** Sets a new password from a reset link; every session of the account ends. */
  async resetPassword(token: string, password: string): Promise<SessionUser> {
    const user = await this.userForResetToken(token);
    const weak = passwordProblem(password);
    if (weak) throw new ValidationError(weak, { password: weak });
    return this.setPassword(user, password);
  }

  /** Changes the password, given the current one; other sessions end, the caller keeps its own. */
  async changePassword(actor: SessionUser, current: string, password: string): Promise<SessionUser> {
    const user = await this.stored(actor.id);
    if (!(await this.passwordMatches(user, current))) {
      throw new ValidationError('Your current password is not right.', {
        current: 'That is not your current password.',
      });
    }
    const weak = passwordProblem(password);
    if (weak) throw new ValidationError(weak, { password: weak });
    return this.setPassword(user, password);
  }

  /**
   * After registration, when ACCOUNT_EMAIL_CONFIRMATION is on or required: a link to confirm the
   * address the account gave (the same link as for a new address).
   */
  async afterRegister(user: SessionUser): Promise<void> {
    if (this.config.accountEmailConfirmation === 'off') return;
    const stored = await this.stored(user.id);
    // The account exists either way; past the address's limit it confirms later, from /account.
    if (stored.email) {
      await this.sendEmailLink(stored, stored.email).catch((err: unknown) => {
        if (!(err instanceof TooManyRequestsError)) throw err;
      });
    }
  }

  /**
   * Sends the confirmation link again to the account's own address, not yet confirmed: one click
   * on /account, no password (the link goes only to the address already on the account). Limited
   * as address changes are.
   */
  async resendConfirmation(actor: SessionUser): Promise<string> {
    const user = await this.stored(actor.id);
    if (!user.email) {
      throw new ValidationError('Your account has no email address yet: add one below.', {
        email: 'Enter the address to confirm.',
      });
    }
    if (user.emailConfirmedAt) throw new ValidationError('Your address is already confirmed.');
    const turn = await this.emailChanges.take(`user:${actor.id}`);
    if (turn.waitMs > 0) {
      throw new TooManyRequestsError(
        'The link was sent several times already. Try again later.',
        Math.ceil(turn.waitMs / 1000),
      );
    }
    await this.sendEmailLink(user, user.email);
    return user.email;
  }

  /**
   * Sends a confirmation link to a new address (or the current one, to confirm it), given the
   * account's password; the address changes when the link is followed, and the old address is told.
   */
  async requestEmailChange(actor: SessionUser, emailRaw: string, password: string): Promise<void> {
    const email = emailRaw.trim().toLowerCase();
    if (!isEmail(email)) {
      throw new ValidationError('Enter your new email address.', {
        email: 'That does not look like an email address.',
      });
    }
    const user = await this.stored(actor.id);
    if (!(await this.passwordMatches(user, password))) {
      throw new ValidationError('Your password is not right.', {
        emailPassword: 'That is not your password.',
      });
    }
    if ((await MailAddressModel.findById(email).select('stopped').lean<MailAddress>())?.stopped) {
      throw new ValidationError('That address cannot be used.', {
        email: 'Its owner asked for no mail from this site at that address. Use another one.',
      });
    }
    const turn = await this.emailChanges.take(`user:${actor.id}`);
    if (turn.waitMs > 0) {
      throw new TooManyRequestsError(
        'Too many address changes. Try again later.',
        Math.ceil(turn.waitMs / 1000),
      );
    }
    await this.sendEmailLink(user, email);
    if (user.email && user.email !== email) {
      await this.mail.enqueue(`email-notice:${String(user._id)}:${this.now()}`, {
        to: user.email,
        subject: `Your address on ${this.config.siteTitle} is being changed`,
        text: [
          `Someone signed in as “${user.username}” asked to use ${email} instead of this address.`,
          'It changes only when the link sent there is followed.',
          'If it was not you, change your password now and tell the site: your account may be in other hands.',
        ].join('\n'),
      });
    }
  }

  /** The link is bound to the address it replaces and when that was confirmed: it works once. */
  private emailMac(payload: string, user: Stored): string {
    const confirmed = user.emailConfirmedAt ? new Date(user.emailConfirmedAt).getTime() : 0;
    return sign(this.config.sessionSecret, `email:${payload}:${user.email}:${confirmed}`);
  }

  /**
   * The link that confirms an address for an account, at registration or on a change. Never to an
   * address whose owner asked for no mail from the site; the mail itself offers that choice, since
   * anyone can type someone else's address.
   */
  private async sendEmailLink(user: Stored, email: string): Promise<void> {
    if ((await MailAddressModel.findById(email).select('stopped').lean<MailAddress>())?.stopped) return;
    // Registering many accounts with someone's address must not bury them in links.
    const turn = await this.linksToAddress.take(`email:${email}`);
    if (turn.waitMs > 0) {
      throw new TooManyRequestsError(
        'Several links went to that address in the last hour. Try again later.',
        Math.ceil(turn.waitMs / 1000),
      );
    }
    const never = this.url(`/unsubscribe/${addressStopToken(this.config.sessionSecret, email)}`);
    const expires = this.now() + EMAIL_HOURS * 3600000;
    const payload = `${String(user._id)}.${Buffer.from(email).toString('base64url')}.${expires}`;
    const token = `${payload}.${this.emailMac(payload, user)}`;
    await this.mail.enqueue(`email:${token}`, {
      to: email,
      subject: `Confirm your new email address on ${this.config.siteTitle}`,
      text: [
        `To use this address for your account “${user.username}”, open this link within ${EMAIL_HOURS} hours:`,
        '',
        `  ${this.url(`/account/email/${token}`)}`,
        '',
        'If you did not ask for this, ignore this message: nothing changes.',
        'To never get mail from this site at this address, whoever types it, open:',
        '',
        `  ${never}`,
      ].join('\n'),
      headers: { 'List-Unsubscribe': `<${never}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
  }

  /**
   * The account and new address an email-change link is for, while it is valid; writes nothing, so
   * the page that asks "confirm this address?" can say which (a mail scanner's GET changes nothing).
   */
  async checkEmailChange(token: string): Promise<{ username: string; email: string }> {
    const { user, email } = await this.emailChangeFor(token);
    return { username: user.username, email };
  }

  /** Applies a confirmed address change (once: the link is bound to the address it replaces). */
  async confirmEmail(token: string): Promise<string> {
    const { user, email } = await this.emailChangeFor(token);
    await UserModel.updateOne({ _id: user._id }, { $set: { email, emailConfirmedAt: new Date(this.now()) } });
    // Its sessions may comment now where confirmation is required.
    this.events?.emit('account.sessions', { userId: String(user._id) });
    return email;
  }

  private async emailChangeFor(token: string): Promise<{ user: Stored; email: string }> {
    const [id, encoded, expires, mac] = token.split('.');
    const invalid = new NotFoundError('This confirmation link is not valid any more. Ask for a new one.');
    if (!mac || !Types.ObjectId.isValid(id) || Number(expires) < this.now()) throw invalid;
    const user = await UserModel.findById(id).select('+email username emailConfirmedAt').lean<Stored>();
    const payload = `${id}.${encoded}.${expires}`;
    if (!user || !sameToken(mac, this.emailMac(payload, user))) throw invalid;
    return { user, email: Buffer.from(encoded, 'base64url').toString('utf8') };
  }

  /** Everything this site holds about the account, for download. */
  async exportData(actor: SessionUser): Promise<Record<string, unknown>> {
    const user = await this.stored(actor.id);
    const comments = await findComments({ authorUser: user._id })
      .sort({ _id: -1 })
      .select('post number bodySource status createdAt editedAt parent')
      .lean<Comment[]>();
    // Published posts only: a post taken back to draft (and perhaps renamed) keeps its new title
    // and address to the editors; the reader's own comments on it still come, without them.
    const posts = await PostModel.find({
      _id: mongoose.trusted({ $in: [...new Set(comments.map((c) => String(c.post)))] }),
      status: 'published',
    })
      .select('slug title')
      .lean<Post[]>();
    const bySlug = new Map(posts.map((p) => [String(p._id), p]));
    return {
      exportedAt: new Date(this.now()).toISOString(),
      site: this.config.siteUrl,
      account: {
        username: user.username,
        email: user.email,
        role: user.role,
        createdAt: user.createdAt,
      },
      comments: comments.map((c) => ({
        post: bySlug.get(String(c.post))?.title ?? '(a post that is no longer published)',
        url: bySlug.has(String(c.post))
          ? this.url(`/posts/${bySlug.get(String(c.post))!.slug}/comments/${String(c._id)}`)
          : null,
        number: c.number,
        status: c.status,
        body: c.bodySource,
        createdAt: c.createdAt,
        editedAt: c.editedAt,
        inReplyTo: c.parent ? String(c.parent) : null,
      })),
    };
  }

  /**
   * Deletes the account, given its password. Its comments stay, shown as by "deleted account", or
   * are removed, as the reader chooses; every thread they were in is recorded as changed.
   */
  async deleteAccount(actor: SessionUser, password: string, comments: 'keep' | 'remove'): Promise<void> {
    const user = await this.stored(actor.id);
    if (!(await this.passwordMatches(user, password))) {
      throw new ValidationError('Your password is not right.', {
        deletePassword: 'That is not your password.',
      });
    }
    const change: Partial<Comment> =
      comments === 'remove'
        ? {
            status: 'deleted' as const,
            bodySource: '',
            bodyHtml: '',
            authorUser: null,
            authorName: 'deleted account',
            authorEmail: '',
          }
        : { authorUser: null, authorName: 'deleted account', authorKind: 'guest' as const, authorEmail: '' };
    if (canAdminister(user) && (await UserModel.countDocuments({ role: 'admin' })) <= 1) {
      throw new ValidationError('You are the only admin: make someone else an admin first.', {
        deletePassword: 'The site needs an admin.',
      });
    }
    await this.store.changeAllBy(user._id, change);
    // What else is kept for the account: its visits, follows and warnings.
    await Promise.all([
      VisitModel.deleteMany({ _id: mongoose.trusted({ $regex: `^${String(user._id)}:` }) }),
      FollowModel.deleteMany({ user: user._id }),
      WarningModel.deleteMany({ user: user._id }),
    ]);
    await UserModel.deleteOne({ _id: user._id });
    this.events?.emit('account.sessions', { userId: String(user._id) });
  }

  private async setPassword(user: Stored, password: string): Promise<SessionUser> {
    const passwordHash = await hashPassword(password, this.config.passwordCost);
    await UserModel.updateOne({ _id: user._id }, { $set: { passwordHash }, $inc: { sessionVersion: 1 } });
    // Every other session ended: so do their open sockets (they reconnect signed out).
    this.events?.emit('account.sessions', { userId: String(user._id) });
    return toSessionUser({ ...user, sessionVersion: (user.sessionVersion ?? 0) + 1 });
  }

  private async passwordMatches(user: Stored, password: string): Promise<boolean> {
    if (typeof password !== 'string' || !password || !isUsableHash(user.passwordHash)) return false;
    return (await verifyPassword(password, user.passwordHash, this.config.passwordCost)).ok;
  }

  private async stored(id: string): Promise<Stored> {
    const user = Types.ObjectId.isValid(id)
      ? await UserModel.findById(id)
          .select(
            '+passwordHash +email username nameKey role sessionVersion createdAt notifyReplies emailConfirmedAt',
          )
          .lean<Stored>()
      : null;
    if (!user) throw new UnauthorizedError('Sign in again: that account is gone.');
    return user;
  }

  /** id.expires.mac, the mac over the id, the expiry and the current password hash. */
  private resetToken(user: Stored): string {
    const payload = `${String(user._id)}.${this.now() + RESET_MINUTES * 60000}`;
    return `${payload}.${sign(this.config.sessionSecret, `reset:${payload}:${user.passwordHash}:${user.email}`)}`;
  }

  private async userForResetToken(token: string): Promise<Stored> {
    const [id, expires, mac] = String(token).split('.');
    const invalid = new NotFoundError(
      'This reset link has expired or has been used. Ask for a new one from “Forgot your password?”.',
    );
    if (!mac || !Types.ObjectId.isValid(id) || !(Number(expires) > this.now())) throw invalid;
    const user = await UserModel.findById(id)
      .select('+passwordHash +email username role sessionVersion')
      .lean<Stored>();
    if (
      !user ||
      !sameToken(
        mac,
        sign(this.config.sessionSecret, `reset:${id}.${expires}:${user.passwordHash}:${user.email}`),
      )
    ) {
      throw invalid;
    }
    return user;
  }

  private url(path: string): string {
    return `${this.config.siteUrl.replace(/\/$/, '')}${path}`;
  }
}
