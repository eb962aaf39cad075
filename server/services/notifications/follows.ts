import { OnceCache } from '../../lib/once-cache.js';
import { Types } from 'mongoose';
import { FollowModel, type Follow } from '../../../models/follow.js';
import { PostModel, type Post } from '../../../models/post.js';
import { UserModel, type User } from '../../../models/user.js';
import type { Config } from '../../config/index.js';
import { plainExcerpt } from '../../lib/markdown.js';
import { sameToken, sign } from '../../lib/signing.js';
import type { CommentService } from '../comments/comment-service.js';
import type { SessionUser } from '../accounts/user-service.js';
import type { MailQueue } from './mail-queue.js';
import { upsertOne } from '../../db/upsert.js';

/** At most this many comments are quoted in one digest (the rest are counted, with a link). */
const DIGEST_MAX = 25;

/**
 * Following a post: its new comments by email, one digest at most every FOLLOW_DIGEST_MINUTES,
 * never one mail per comment. A new comment marks the post's follows pending (one indexed update,
 * after the comment is out); `sendDigests` (on the server's timer) queues a digest for each follow
 * pending long enough, from the thread in memory. The digest's key is the follow and its last
 * comment, so two processes queue it once.
 */
export class FollowService {
  /** Whether an account follows a post, as read in the last ten seconds (its pages of the post ask). */
  private readonly following = new OnceCache<boolean>(10000, 20000);

  constructor(
    private readonly config: Pick<Config, 'sessionSecret' | 'siteUrl' | 'siteTitle' | 'followDigestMinutes'>,
    private readonly comments: Pick<CommentService, 'loadThread'>,
    private readonly queue: Pick<MailQueue, 'enqueue'>,
    private readonly now: () => number = Date.now,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** A comment readers can now see (comment.created or comment.released): the post's followers have news. */
  onShown({ postId }: { postId: Types.ObjectId }): void {
    FollowModel.updateMany(
      { post: postId, pending: false },
      { $set: { pending: true, pendingSince: new Date(this.now()) } },
    ).catch(this.onError);
  }

  async isFollowing(user: SessionUser, postId: Types.ObjectId): Promise<boolean> {
    const _id = `${user.id}:${String(postId)}`;
    return this.following.once(_id, async () => Boolean(await FollowModel.exists({ _id })));
  }

  /** Follows a post from its newest comment on (what is already there is not mailed). */
  async follow(user: SessionUser, post: Post): Promise<void> {
    const thread = await this.comments.loadThread(post);
    const last = thread.visible.at(-1);
    await upsertOne(
      FollowModel,
      { _id: `${user.id}:${String(post._id)}` },
      {
        $set: { user: new Types.ObjectId(user.id), post: post._id },
        $setOnInsert: { since: last?._id ?? null, pending: false, pendingSince: null },
      },
    );
    this.following.forget(`${user.id}:${String(post._id)}`);
  }

  async unfollow(user: SessionUser, postId: Types.ObjectId): Promise<void> {
    await FollowModel.deleteOne({ _id: `${user.id}:${String(postId)}` });
    this.following.forget(`${user.id}:${String(postId)}`);
  }

  /** The token of a digest's one-click "stop following" link. */
  stopToken(followId: string): string {
    const id = Buffer.from(followId).toString('base64url');
    return `${id}.follow.${sign(this.config.sessionSecret, `unsubscribe:${id}:follow`)}`;
  }

  /** Stops a follow from a digest's link; false when the token is not ours. */
  async stopFromToken(token: string): Promise<boolean> {
    const [id, list, mac] = String(token).split('.');
    if (list !== 'follow' || !sameToken(mac, sign(this.config.sessionSecret, `unsubscribe:${id}:follow`))) {
      return false;
    }
    const followId = Buffer.from(id, 'base64url').toString('utf8');
    await FollowModel.deleteOne({ _id: followId });
    this.following.forget(followId);
    return true;
  }

  /** Queues the digest of every follow pending for FOLLOW_DIGEST_MINUTES; returns how many. */
  async sendDigests(): Promise<number> {
    const due = this.now() - this.config.followDigestMinutes * 60000;
    const pending = await FollowModel.find({ pending: true }).lean<Follow[]>();
    let queued = 0;
    for (const follow of pending) {
      if (!follow.pendingSince || follow.pendingSince.getTime() > due) continue;
      if (await this.digest(follow)) queued += 1;
    }
    return queued;
  }

  private async digest(follow: Follow): Promise<boolean> {
    const [post, user] = await Promise.all([
      PostModel.findById(follow.post).lean<Post>(),
      UserModel.findById(follow.user)
        .select('+email username emailConfirmedAt')
        .lean<User & { email: string }>(),
    ]);
    if (!post || !user) {
      await FollowModel.deleteOne({ _id: follow._id });
      return false;
    }
    if (post.status !== 'published') return false;
    const thread = await this.comments.loadThread(post);
    const since = follow.since ? String(follow.since) : '';
    const fresh = thread.visible.filter(
      (c) => String(c._id) > since && String(c.authorUser ?? '') !== String(user._id),
    );
    const last = thread.visible.at(-1)?._id ?? follow.since;
    // Recorded first, conditionally: a process that finds it already moved on queues nothing.
    const moved = await FollowModel.updateOne(
      { _id: follow._id, pending: true, since: follow.since },
      { $set: { pending: false, pendingSince: null, since: last } },
    );
    if (!moved.modifiedCount || !fresh.length || !user.email || !user.emailConfirmedAt) return false;
    const base = this.config.siteUrl.replace(/\/$/, '');
    const stop = `${base}/unsubscribe/${this.stopToken(follow._id)}`;
    const lines = fresh
      .slice(0, DIGEST_MAX)
      .flatMap((c) => [
        `#${c.number} ${c.authorName}, ${c.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC:`,
        `  ${plainExcerpt(c.bodyHtml, 300)}`,
        `  ${base}/posts/${post.slug}/comments/${String(c._id)}`,
        '',
      ]);
    const more = fresh.length - DIGEST_MAX;
    await this.queue.enqueue(`digest:${follow._id}:${String(last)}`, {
      to: user.email,
      subject: `${fresh.length} new ${fresh.length === 1 ? 'comment' : 'comments'} on “${post.title}”`,
      text: [
        `New on “${post.title}”, which you follow:`,
        '',
        ...lines,
        ...(more > 0 ? [`And ${more} more: ${base}/posts/${post.slug}#comments`, ''] : []),
        '--',
        `You follow this post on ${this.config.siteTitle}. Stop following it, in one click: ${stop}`,
      ].join('\n'),
      headers: { 'List-Unsubscribe': `<${stop}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    return true;
  }
}
