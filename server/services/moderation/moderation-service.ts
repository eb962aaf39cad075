import mongoose, { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { PostModel, type Post } from '../../../models/post.js';
import { ReportModel } from '../../../models/report.js';
import { UserModel } from '../../../models/user.js';
import type { Config } from '../../config/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors/index.js';
import type { AuditService } from './audit-service.js';
import { commentById, findComments, setUnseen, type CommentStore } from '../comments/comment-store.js';
import type { PostService } from '../posts/post-service.js';
import type { DomainEvents } from '../events.js';
import type { SanctionService } from './sanction-service.js';
import type { SessionUser } from '../accounts/user-service.js';
import { addressBlock, hashIp } from '../../lib/ip-hash.js';
import { escapeRegex } from '../../lib/escape-regex.js';
import { checkReport, countByCategory } from './report-input.js';
import { queueItems, type QueueItem } from './queue-items.js';
import { isDuplicateKey } from '../../db/upsert.js';

export const COMMENT_ACTIONS = [
  'approve',
  'reject',
  'remove',
  'restore',
  'dismiss',
  'lock',
  'unlock',
] as const;
export type CommentAction = (typeof COMMENT_ACTIONS)[number];
export type Queue = 'pending' | 'reported' | 'removed';

/** How an action reads in messages: "approved", "dismissed". */
export const ACTION_DONE: Record<CommentAction, string> = {
  approve: 'approved',
  reject: 'rejected',
  remove: 'removed',
  restore: 'restored',
  dismiss: 'cleared of reports',
  lock: 'locked',
  unlock: 'unlocked',
};

/** Which states each action applies to, and the state it leaves. */
const TRANSITIONS: Record<CommentAction, { from: Comment['status'][]; to?: Comment['status'] }> = {
  approve: { from: ['pending'], to: 'visible' },
  reject: { from: ['pending'], to: 'removed' },
  remove: { from: ['visible', 'pending'], to: 'removed' },
  restore: { from: ['removed'], to: 'visible' },
  /** Closes a shown comment's open reports and leaves it shown (a held one is approved instead). */
  dismiss: { from: ['visible'] },
  lock: { from: ['visible'] },
  unlock: { from: ['visible'] },
};

const trusted = <T>(operator: T): T => mongoose.trusted(operator) as T;

/** Items per page of a queue; every queue is paged by key (comment or report _id), with no cap. */
export const QUEUE_PAGE = 50;
/** Queue counts stop here (the header shows "99+"). */
const QUEUE_COUNT_CAP = 100;
/** Accounts younger than this many days weigh half when they report. */
const NEW_ACCOUNT_DAYS = 7;

/**
 * What moderators do: close and reopen posts, lock subthreads, approve,
 * reject, remove and restore comments (one or many), handle reports, and
 * sanction writers. Every action is written to the audit log, then announced
 * as a domain event so open pages change at once.
 */
export class ModerationService {
  constructor(
    private readonly config: Pick<Config, 'reportsToHide' | 'sessionSecret'>,
    private readonly events: DomainEvents,
    private readonly store: CommentStore,
    private readonly posts: PostService,
    private readonly sanctions: SanctionService,
    private readonly audit: AuditService,
  ) {}

  private async comment(id: string): Promise<Comment> {
    const comment = Types.ObjectId.isValid(id)
      ? await commentById(id).select('+authorEmail +ipHash').lean<Comment>()
      : null;
    if (!comment) throw new NotFoundError('There is no such comment.');
    return comment;
  }

  private post(id: Types.ObjectId | string): Promise<Post> {
    return this.posts.getById(String(id));
  }

  private label(comment: Pick<Comment, 'number'>, post: Pick<Post, 'title'>): string {
    return `#${comment.number} on “${post.title}”`;
  }

  /** Closes (with an optional note to readers, also the audit's reason) or reopens a post's comments. */
  async setPostOpen(actor: SessionUser, postId: string, open: boolean, reason = ''): Promise<Post> {
    const post = await this.posts.setCommentStatus(postId, open ? 'open' : 'closed', reason);
    await this.audit.record(actor, {
      action: open ? 'post.reopen' : 'post.close',
      targetType: 'post',
      targetId: String(post._id),
      targetLabel: post.title,
      reason,
    });
    return post;
  }

  /** One action on one comment; refuses actions that do not apply to its state. */
  async act(actor: SessionUser, commentId: string, action: CommentAction, reason = ''): Promise<Comment> {
    if (!COMMENT_ACTIONS.includes(action)) throw new ValidationError('Unknown moderation action.');
    const comment = await this.comment(commentId);
    const rule = TRANSITIONS[action];
    if (!rule.from.includes(comment.status)) {
      throw new ConflictError(
        `Comment #${comment.number} is ${comment.status}; it cannot be ${ACTION_DONE[action]}.`,
      );
    }
    if (action === 'dismiss') {
      // What was dismissed goes in the log, with the moderator's words when there are any.
      const summary = await this.openReportsSummary(comment);
      reason = reason ? `${summary}; ${reason}` : summary;
    }
    const set: Record<string, unknown> = {};
    if (rule.to) set.status = rule.to;
    if (action === 'remove' || action === 'reject') {
      set.removedReason = reason;
      set.removedFrom = comment.status;
    }
    // Restored: back where it was removed from. A comment removed from the held queue by mistake
    // goes back to being held (still for a moderator to approve), not straight to readers.
    if (action === 'restore' && comment.removedFrom === 'pending') set.status = 'pending';
    else if (action === 'restore' || action === 'approve') set.heldReason = '';
    if (action === 'lock' || action === 'unlock') set.locked = action === 'lock';
    // Dismissed reports were unfounded: the comment no longer counts as reported anywhere.
    if (action === 'dismiss') set.reportCount = 0;
    if (['approve', 'restore', 'remove', 'reject', 'dismiss'].includes(action)) {
      await ReportModel.updateMany({ comment: comment._id }, { $set: { resolved: true } });
    }
    const event = readersSee(comment.status, (set.status as Comment['status']) ?? comment.status, action);
    const post = (await this.store.change(comment, { $set: set }, event)) ?? (await this.post(comment.post));
    await this.audit.record(actor, {
      action: `comment.${action}`,
      targetType: 'comment',
      targetId: String(comment._id),
      targetLabel: this.label(comment, post),
      reason,
    });
    this.events.emit('moderation.changed', {});
    this.events.emit('comment.moderated', { commentId: comment._id, action, text: comment.bodySource });
    return { ...comment, ...set } as Comment;
  }

  /** "2 reports dismissed: Spam or advertising ×1, Off topic ×1", for the audit log; refuses when none is open. */
  private async openReportsSummary(comment: Comment): Promise<string> {
    const open = await ReportModel.find({ comment: comment._id, resolved: false }).select('category').lean();
    if (!open.length) throw new ConflictError(`Comment #${comment.number} has no open reports to dismiss.`);
    const list = countByCategory(open)
      .map((g) => `${g.label} ×${g.count}`)
      .join(', ');
    return `${open.length} report${open.length === 1 ? '' : 's'} dismissed: ${list}`;
  }

  /** The same action on many comments; returns how many changed and why the others did not. */
  async bulk(actor: SessionUser, ids: string[], action: CommentAction, reason = '') {
    if (ids.length === 0)
      throw new ValidationError('Select at least one comment.', { ids: 'Nothing selected.' });
    if (ids.length > 200) throw new ValidationError('Select at most 200 comments at a time.');
    let changed = 0;
    const problems: string[] = [];
    for (const id of ids) {
      try {
        await this.act(actor, id, action, reason);
        changed += 1;
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    }
    return { changed, problems };
  }

  /**
   * A reader's report: once per reader per comment. Reports add up to REPORTS_TO_HIDE, and then
   * the comment is held until a moderator reviews it, with three safeguards against one person
   * silencing another: reports from one address count once whatever the account, guests' and
   * new accounts' reports count half, and staff and columnist comments are never hidden this way
   * (they stay up and wait in the reported queue).
   */
  async report(
    reporter: { user?: SessionUser; ip: string },
    commentId: string,
    input: { category: string; reason: string },
  ): Promise<{ hidden: boolean }> {
    const { category, reason } = checkReport(input);
    const comment = await this.comment(commentId);
    if (comment.status !== 'visible') throw new NotFoundError('That comment is not shown any more.');
    const ipHash = hashIp(addressBlock(reporter.ip), this.config.sessionSecret);
    const reporterKey = reporter.user ? `user:${reporter.user.id}` : `ip:${ipHash}`;
    try {
      await ReportModel.create({
        comment: comment._id,
        post: comment.post,
        reporterKey,
        category,
        reason,
        ipHash,
        weight: await this.reportWeight(reporter.user),
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw new ConflictError('You have already reported this comment.');
      throw err;
    }
    // Derived from the reports themselves, never $inc'd (lost updates on the embedded database).
    const open = await ReportModel.find({ comment: comment._id, resolved: false })
      .select('ipHash weight reporterKey')
      .lean();
    const byAddress = new Map<string, number>();
    for (const r of open) {
      // Reports from before addresses were kept count by their reporter.
      const from = r.ipHash || r.reporterKey;
      byAddress.set(from, Math.max(byAddress.get(from) ?? 0, r.weight ?? 1));
    }
    const score = [...byAddress.values()].reduce((a, b) => a + b, 0);
    const reportCount = open.length;
    const protectedWriter = comment.authorKind === 'staff' || comment.authorKind === 'columnist';
    const hide = score >= this.config.reportsToHide && !protectedWriter;
    if (hide) {
      await this.store.change(
        comment,
        { $set: { reportCount, status: 'pending', heldReason: `${reportCount} reports` } },
        'comment.hidden',
      );
    } else {
      await setUnseen(comment._id, { reportCount });
    }
    this.events.emit('moderation.changed', {});
    return { hidden: hide };
  }

  /**
   * Makes a shown comment one of the columnist's picks (shown above the thread, newest pick first),
   * or takes it off them. Editors and moderators do it; it is in the audit log.
   */
  async feature(actor: SessionUser, commentId: string, featured: boolean): Promise<Comment> {
    const comment = await this.comment(commentId);
    if (comment.status !== 'visible') {
      throw new ConflictError(`Comment #${comment.number} is not shown to readers, so it cannot be a pick.`);
    }
    const featuredAt = featured ? new Date() : null;
    const post =
      (await this.store.change(comment, { $set: { featuredAt } }, 'comment.updated')) ??
      (await this.post(comment.post));
    await this.audit.record(actor, {
      action: featured ? 'comment.feature' : 'comment.unfeature',
      targetType: 'comment',
      targetId: String(comment._id),
      targetLabel: this.label(comment, post),
      reason: '',
    });
    return { ...comment, featuredAt };
  }

  /** Where a comment stands in its thread (any state: moderators see held and removed ones there). */
  async placeOf(commentId: string): Promise<string> {
    const comment = await this.comment(commentId);
    const post = await this.post(comment.post);
    return `/posts/${post.slug}/comments/${comment._id}`;
  }

  /** The comment a reader is about to report, as the report form shows it; only shown comments. */
  async reportable(commentId: string): Promise<Pick<Comment, 'number' | 'authorName' | 'bodyHtml'>> {
    const comment = await this.comment(commentId);
    const post = comment.status === 'visible' ? await this.post(comment.post) : undefined;
    if (post?.status !== 'published') throw new NotFoundError('That comment is not shown any more.');
    return { number: comment.number, authorName: comment.authorName, bodyHtml: comment.bodyHtml };
  }

  /** Guests and accounts younger than a week count half. */
  private async reportWeight(user?: SessionUser): Promise<number> {
    if (!user) return 0.5;
    const account = await UserModel.findById(user.id).select('createdAt').lean<{ createdAt?: Date }>();
    const age = Date.now() - (account?.createdAt ? new Date(account.createdAt).getTime() : Date.now());
    return age < NEW_ACCOUNT_DAYS * 86400000 ? 0.5 : 1;
  }

  /**
   * A moderation queue, newest first, optionally for one post; pending and removed are read a
   * page at a time, older than `before` (a comment id) when given.
   */
  async queue(
    queue: Queue,
    postSlug?: string,
    before?: string,
    order: 'newest' | 'oldest' = 'newest',
  ): Promise<{ items: QueueItem[]; post?: Post; olderThan?: string }> {
    const post = postSlug ? await this.postNamed(postSlug) : undefined;
    let olderThan: string | undefined;
    let comments: Comment[];
    if (queue === 'reported') ({ comments, next: olderThan } = await this.reported(post?._id, before, order));
    else {
      const page = await this.byStatus(queue, post?._id, before, order);
      comments = page.slice(0, QUEUE_PAGE);
      if (page.length > QUEUE_PAGE) olderThan = String(comments[comments.length - 1]._id);
    }
    return { post: post ?? undefined, olderThan, items: await queueItems(comments) };
  }

  /**
   * The post a queue filter names, by its address or, failing that, its title (any case). A title
   * is matched over the posts' titles: a moderator's filter, not a reader's path.
   */
  private async postNamed(name: string): Promise<Post> {
    const text = String(name).trim();
    const bySlug = await PostModel.findOne({ slug: text }).lean<Post>();
    if (bySlug) return bySlug;
    const title = escapeRegex(text);
    const byTitle = await PostModel.findOne({ title: trusted({ $regex: `^${title}$`, $options: 'i' }) })
      .sort({ _id: -1 })
      .lean<Post>();
    if (!byTitle) throw new NotFoundError('There is no post with that address or title.');
    return byTitle;
  }

  /**
   * For a held queue open on a moderator's screen (newest first, first page): the comments held
   * since its newest item (`after`), newest first, and which of the items it shows (`shown`) are no
   * longer held (another moderator handled them). Both reads walk the (status, _id) index.
   */
  async heldSince(
    postSlug: string | undefined,
    after: string | undefined,
    shown: string[],
  ): Promise<{ items: QueueItem[]; gone: string[] }> {
    const post = postSlug ? await this.postNamed(postSlug) : undefined;
    const newer = after
      ? (await this.byStatus('pending', post?._id, after, 'oldest')).slice(0, QUEUE_PAGE).reverse()
      : (await this.byStatus('pending', post?._id)).slice(0, QUEUE_PAGE);
    const ids = shown.filter((id) => Types.ObjectId.isValid(id)).slice(0, QUEUE_PAGE * 4);
    let gone: string[] = [];
    if (ids.length) {
      const oldest = ids.reduce((a, b) => (a < b ? a : b));
      // Ascending from the oldest item shown: the items shown come first, then newer ones.
      const still = await findComments({
        status: 'pending',
        _id: trusted({ $gte: new Types.ObjectId(oldest) }),
      })
        .sort({ _id: 1 })
        .limit(ids.length + QUEUE_PAGE)
        .select('_id')
        .lean();
      const held = new Set(still.map((c) => String(c._id)));
      const newest = still.length ? String(still[still.length - 1]._id) : oldest;
      gone = ids.filter((id) => !held.has(id) && id <= newest);
    }
    return { items: await queueItems(newer), gone };
  }

  /**
   * How many comments wait in the held and reported queues, up to QUEUE_COUNT_CAP each (shown as
   * "99+" from there): on every moderator's page, so each read stops early.
   */
  async counts(): Promise<{ pending: number | string; reported: number | string; total: number | string }> {
    const [pending, reports] = await Promise.all([
      findComments({ status: 'pending' }).sort({ _id: -1 }).limit(QUEUE_COUNT_CAP).select('_id').lean(),
      ReportModel.find({ resolved: false }).sort({ _id: -1 }).limit(QUEUE_COUNT_CAP).select('comment').lean(),
    ]);
    const shown = (n: number, read: number) => (read >= QUEUE_COUNT_CAP ? `${QUEUE_COUNT_CAP - 1}+` : n);
    const counts = {
      pending: shown(pending.length, pending.length),
      reported: shown(new Set(reports.map((r) => String(r.comment))).size, reports.length),
    };
    // What the Staff menu's badge shows: both queues together, "99+" once either is past the cap.
    const total =
      typeof counts.pending === 'string' || typeof counts.reported === 'string'
        ? `${QUEUE_COUNT_CAP - 1}+`
        : counts.pending + counts.reported;
    return { ...counts, total };
  }

  /** Comments in a status, newest first, one page and one more: read in the order of the (status, _id) index. */
  private async byStatus(
    status: Queue,
    postId?: Types.ObjectId,
    cursor?: string,
    order: 'newest' | 'oldest' = 'newest',
  ): Promise<Comment[]> {
    const from = cursor && Types.ObjectId.isValid(cursor) ? new Types.ObjectId(cursor) : undefined;
    return findComments({
      status,
      ...(postId && { post: postId }),
      ...(from && { _id: trusted(order === 'newest' ? { $lt: from } : { $gt: from }) }),
    })
      .sort({ _id: order === 'newest' ? -1 : 1 })
      .limit(QUEUE_PAGE + 1)
      .select('+authorEmail +ipHash')
      .lean<Comment[]>();
  }

  /**
   * Reported comments still shown or held, most recently reported first. Driven by the open
   * reports (few, indexed) rather than by every comment's report count.
   */
  private async reported(
    postId?: Types.ObjectId,
    cursor?: string,
    order: 'newest' | 'oldest' = 'newest',
  ): Promise<{ comments: Comment[]; next?: string }> {
    // Paged by the open reports' _id (few, indexed with `resolved`), a page of distinct comments at a time.
    let from = cursor && Types.ObjectId.isValid(cursor) ? new Types.ObjectId(cursor) : undefined;
    const picked: string[] = [];
    let next: string | undefined;
    for (let round = 0; round < 20 && !next; round += 1) {
      const reports = await ReportModel.find({
        resolved: false,
        ...(postId && { post: postId }),
        ...(from && { _id: trusted(order === 'newest' ? { $lt: from } : { $gt: from }) }),
      })
        .sort({ _id: order === 'newest' ? -1 : 1 })
        .limit(QUEUE_PAGE * 2)
        .select('comment')
        .lean();
      for (const report of reports) {
        const id = String(report.comment);
        if (!picked.includes(id)) {
          // The page is full: the next one starts after the last report this one used.
          if (picked.length === QUEUE_PAGE) {
            next = String(from);
            break;
          }
          picked.push(id);
        }
        from = report._id;
      }
      if (reports.length < QUEUE_PAGE * 2) break;
    }
    // trusted(): sanitizeFilter is on for every query; this operator is ours, not user input.
    const found = await findComments({ _id: trusted({ $in: picked }) })
      .select('+authorEmail +ipHash')
      .lean<Comment[]>();
    const byId = new Map(found.map((c) => [String(c._id), c]));
    const comments = picked
      .map((id) => byId.get(id))
      .filter((c): c is Comment =>
        Boolean(c && c.reportCount > 0 && ['visible', 'pending'].includes(c.status)),
      );
    return { comments, next };
  }

  async banEmailOf(actor: SessionUser, commentId: string, reason: string): Promise<void> {
    const comment = await this.comment(commentId);
    await this.sanctions.banEmail(actor, comment.authorEmail ?? '', reason);
  }

  async blockIpOf(actor: SessionUser, commentId: string, reason: string): Promise<void> {
    const comment = await this.comment(commentId);
    const post = await this.post(comment.post);
    await this.sanctions.blockIp(
      actor,
      comment.ipHash ?? '',
      reason,
      `address of ${this.label(comment, post)}`,
    );
  }
}

/** What readers see of a moderator's action: shown again, taken off, changed in place, or nothing. */
function readersSee(before: Comment['status'], after: Comment['status'], action: string) {
  const was = before === 'visible';
  const is = after === 'visible';
  if (!was && is) return 'comment.released' as const;
  if (was && !is) return 'comment.hidden' as const;
  if (is && (action === 'lock' || action === 'unlock')) return 'comment.updated' as const;
  return undefined;
}
