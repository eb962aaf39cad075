import { BanModel, type Ban } from '../../../models/ban.js';
import { sanctionState } from './sanction-service.js';
import type { Comment } from '../../../models/comment.js';
import { findComments, commentById } from '../comments/comment-store.js';
import type { Post } from '../../../models/post.js';
import { UserModel, type User } from '../../../models/user.js';
import { NotFoundError, ValidationError } from '../../errors/index.js';
import { isObjectIdString } from '../../lib/validation.js';
import type { SessionUser } from '../accounts/user-service.js';
import type { ModerationService } from './moderation-service.js';
import { commenterFilter, commenterOf, type CommenterKey } from './commenter-key.js';

export type { CommenterKey };

/** A comment whose writer left nothing to follow (no account, email or address hash). */
export class UnknownCommenterError extends NotFoundError {
  constructor(public readonly authorName: string) {
    super('Nothing is known of who wrote that comment.');
  }
}

/** The most comments read for one commenter's history (counts say when there are more). */
const HISTORY_LIMIT = 1000;
const RECENT = 30;

/**
 * A commenter at a glance, for moderators: counts of their comments by state (and how many were
 * reported), their sanctions, their recent comments with states, and removing a spam wave from
 * one email or address in one action (each removal audited, as a single one is). Comments are read
 * through the index of the key (author, email or address hash, each with _id).
 */
export class CommenterService {
  constructor(private readonly moderation: Pick<ModerationService, 'act'>) {}

  /**
   * The commenter a query names: ?user=, ?email=, ?ip= (a hash), or ?comment= (its writer: the
   * account, else the guest's email, else the address).
   */
  async keyFor(query: {
    user?: unknown;
    email?: unknown;
    ip?: unknown;
    comment?: unknown;
  }): Promise<CommenterKey> {
    const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
    if (isObjectIdString(text(query.comment))) {
      const comment = await commentById(text(query.comment))
        .select('+authorEmail +ipHash authorUser authorName')
        .lean<Comment>();
      if (!comment) throw new NotFoundError('That comment does not exist.');
      // An imported or demo guest comment has no account, email or address to follow.
      const key = commenterOf(comment);
      if (!key) throw new UnknownCommenterError(comment.authorName);
      return key;
    }
    if (isObjectIdString(text(query.user))) return { kind: 'user', value: text(query.user) };
    if (text(query.email).includes('@')) return { kind: 'email', value: text(query.email).toLowerCase() };
    if (/^[a-f0-9]{16,128}$/.test(text(query.ip))) return { kind: 'ip', value: text(query.ip) };
    throw new ValidationError('Choose a commenter: an account, an email address or an address hash.');
  }

  async history(key: CommenterKey) {
    const [comments, account, bans] = await Promise.all([
      findComments(commenterFilter(key))
        .sort({ _id: -1 })
        .limit(HISTORY_LIMIT)
        .select(
          '+authorEmail post number authorName bodyHtml status reportCount createdAt heldReason removedReason',
        )
        .populate<{ post: Pick<Post, '_id' | 'slug' | 'title'> | null }>('post', 'slug title')
        .lean(),
      key.kind === 'user'
        ? UserModel.findById(key.value).select('username role createdAt').lean<User>()
        : null,
      BanModel.find({ kind: key.kind, value: key.value }).sort({ _id: -1 }).lean(),
    ]);
    if (key.kind === 'user' && !account) throw new NotFoundError('There is no such account.');
    const counts = { visible: 0, pending: 0, removed: 0, deleted: 0, reported: 0 };
    for (const c of comments) {
      counts[c.status as keyof typeof counts] += 1;
      if (c.reportCount > 0) counts.reported += 1;
    }
    return {
      key,
      label: account?.username ?? (key.kind === 'email' ? key.value : `address ${key.value.slice(0, 10)}…`),
      account,
      names: [...new Set(comments.map((c) => c.authorName))].slice(0, 10),
      counts,
      total: comments.length,
      more: comments.length >= HISTORY_LIMIT,
      bans: bans.map((ban) => sanctionState(ban as Ban, Date.now())),
      recent: comments.slice(0, RECENT),
    };
  }

  /** Removes every shown or held comment of a guest email or an address (a spam wave); returns how many. */
  async removeAll(actor: SessionUser, key: CommenterKey, reason: string): Promise<number> {
    if (key.kind === 'user') {
      throw new ValidationError(
        'For an account, suspend or ban it; remove its comments one by one if needed.',
      );
    }
    // Guests' comments only: an account's are handled with sanctions, even from the same address.
    const targets = await findComments({ ...commenterFilter(key), authorUser: null })
      .sort({ _id: -1 })
      .limit(HISTORY_LIMIT)
      .select('_id status')
      .lean<Comment[]>();
    let removed = 0;
    for (const comment of targets) {
      if (comment.status !== 'visible' && comment.status !== 'pending') continue;
      await this.moderation.act(actor, String(comment._id), 'remove', reason || 'spam wave');
      removed += 1;
    }
    return removed;
  }
}
