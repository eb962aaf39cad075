import { OnceCache } from '../../lib/once-cache.js';
import mongoose, { Types } from 'mongoose';
import { findComments, commentById } from '../comments/comment-store.js';
import { UserModel, type User } from '../../../models/user.js';
import { paging } from '../../lib/paging.js';
import type { DomainEvents } from '../events.js';
import type { Thread } from '../comments/thread.js';
import { commentPage } from '../comments/comment-pages.js';

/** At most this many unread replies are counted (the header shows "99+" from there). */
export const UNREAD_SHOWN_UP_TO = 100;

/**
 * The replies to an account's comments, newest first, and how many it has not seen: comments carry
 * `parentAuthor` (set when a reply is written), indexed with `_id`, so both are one indexed read.
 * A new reply to an account is announced as `replies.unread`, for the live count in its header.
 */
export class RepliesInbox {
  /**
   * Counts read in the last ten seconds, by account (every page's header shows one): a new reply
   * or "all read" in this process counts again at once; in another, within the ten seconds.
   */
  private readonly counts = new OnceCache<number>(10000, 20000);

  constructor(
    private readonly events: DomainEvents,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** A comment readers can now see (comment.created or comment.released): a reply to an account counts. */
  onShown({ commentId, thread }: { commentId: Types.ObjectId; thread?: Thread }): void {
    const shown = thread?.byId(String(commentId));
    const parent = shown?.parent ? thread?.byId(String(shown.parent)) : undefined;
    // Without the thread (another path), the stored comment says whom it replies to.
    if (thread && (!parent?.authorUser || String(parent.authorUser) === String(shown?.authorUser ?? '')))
      return;
    this.announce(commentId).catch(this.onError);
  }

  /** Unread replies to the account's comments, up to UNREAD_SHOWN_UP_TO. */
  async unreadCount(userId: string): Promise<number> {
    if (!Types.ObjectId.isValid(userId)) return 0;
    return this.counts.once(userId, () => this.countUnread(userId));
  }

  private async countUnread(userId: string): Promise<number> {
    const user = await UserModel.findById(userId).select('repliesSeenId').lean<User>();
    const filter: Record<string, unknown> = { parentAuthor: new Types.ObjectId(userId), status: 'visible' };
    // trusted(): sanitizeFilter is on for every query; this operator is ours.
    if (user?.repliesSeenId) filter._id = mongoose.trusted({ $gt: user.repliesSeenId });
    const unread = await findComments(filter)
      .sort({ _id: -1 })
      .limit(UNREAD_SHOWN_UP_TO)
      .select('_id')
      .lean();
    return unread.length;
  }

  /** A page of replies, newest first, with the posts they are on; the newest seen so far is marked. */
  async list(userId: string, page: number, perPage = 20) {
    // Through the (parentAuthor, _id) index.
    const [user, { total, comments: replies }] = await Promise.all([
      UserModel.findById(userId).select('repliesSeenId').lean<User>(),
      commentPage({ parentAuthor: new Types.ObjectId(userId), status: 'visible' }, page, perPage, [
        'number',
        'authorName',
        'bodyHtml',
        'createdAt',
        'parent',
      ]),
    ]);
    const seen = user?.repliesSeenId ? String(user.repliesSeenId) : '';
    return {
      replies: replies.map((r) => ({ ...r, unread: String(r._id) > seen })),
      paging: paging(page, perPage, total),
    };
  }

  /** Everything up to the newest reply is seen; the header's count goes to zero everywhere. */
  async markAllRead(userId: string): Promise<void> {
    const [newest] = await findComments({ parentAuthor: new Types.ObjectId(userId) })
      .sort({ _id: -1 })
      .limit(1)
      .select('_id')
      .lean();
    if (!newest) return;
    await UserModel.updateOne({ _id: userId }, { $set: { repliesSeenId: newest._id } });
    this.counts.forget(userId);
    this.events.emit('replies.unread', { userId, count: 0 });
  }

  private async announce(commentId: Types.ObjectId): Promise<void> {
    const reply = await commentById(commentId).select('parentAuthor status').lean();
    if (!reply?.parentAuthor || reply.status !== 'visible') return;
    const userId = String(reply.parentAuthor);
    this.counts.forget(userId);
    this.events.emit('replies.unread', { userId, count: await this.unreadCount(userId) });
  }
}
