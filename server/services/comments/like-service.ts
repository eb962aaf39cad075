import type { Types } from 'mongoose';
import { LikeModel } from '../../../models/like.js';
import type { Config } from '../../config/index.js';
import { ForbiddenError, NotFoundError, TooManyRequestsError } from '../../errors/index.js';
import { addressBlock, hashIp } from '../../lib/ip-hash.js';
import type { SharedRateLimiter } from '../../lib/shared-limiter.js';
import { sign } from '../../lib/signing.js';
import { isObjectIdString } from '../../lib/validation.js';
import type { SessionUser } from '../accounts/user-service.js';
import type { PostService } from '../posts/post-service.js';
import type { CommentGate } from './comment-gate.js';
import { commentById, type CommentStore } from './comment-store.js';
import { RecentMap } from '../../lib/recent-map.js';
import { isDuplicateKey } from '../../db/upsert.js';

/** Who likes: an account, or a guest known by the browser's own id (a cookie) and address. */
export interface Liker {
  user?: SessionUser;
  /** The guest browser's random id (its cookie); required without an account. */
  browserId?: string;
  ip: string;
}

/** Guests of one address counted on one comment, at most (a household, an office). */
export const GUEST_LIKES_PER_ADDRESS = 3;

type LimiterFactory = (name: string, limit: number, windowMs: number) => SharedRateLimiter;

/**
 * Likes: one per account, or per guest browser with at most a few per address, on shown comments
 * of open threads, not one's own. The count is recounted from the likes collection after every
 * change (so a lost update heals at the next one) and recorded through the comment store, which
 * makes the thread's new version in memory and tells live readers.
 */
export class LikeService {
  /** What readers like on a post, by thread version (likedOn). */
  private readonly liked = new RecentMap<string, string[]>(20000);

  private readonly pace: SharedRateLimiter;

  constructor(
    private readonly config: Pick<Config, 'sessionSecret' | 'allowGuestComments'>,
    private readonly posts: Pick<PostService, 'getById'>,
    private readonly gate: Pick<CommentGate, 'commentsOpen' | 'assertMayWrite'>,
    private readonly store: Pick<CommentStore, 'setLikes'>,
    limiter: LimiterFactory,
  ) {
    this.pace = limiter('like', 120, 3600000);
  }

  /** The voter key a like is stored under: "u:<id>", or "g:<keyed hash of the browser's id>". */
  voterOf(liker: Pick<Liker, 'user' | 'browserId'>): string | null {
    if (liker.user) return `u:${liker.user.id}`;
    if (!liker.browserId) return null;
    return `g:${sign(this.config.sessionSecret, `liker:${liker.browserId}`).slice(0, 24)}`;
  }

  /** Likes (on) or stops liking (off) a comment; returns its count now and whether this reader likes it. */
  async set(
    commentId: string,
    liker: Liker,
    on: boolean,
  ): Promise<{ commentId: string; number: number; likes: number; liked: boolean; postId: Types.ObjectId }> {
    const voter = this.voterOf(liker);
    if (!voter || (!liker.user && !this.config.allowGuestComments)) {
      throw new ForbiddenError('Sign in to like comments on this site.', 'sign_in_to_like');
    }
    const comment = await this.likeable(commentId, liker);
    const like = { comment: comment._id, post: comment.post, voter };
    const changed = on
      ? await this.add(like, liker)
      : (await LikeModel.deleteOne({ post: comment.post, voter, comment: comment._id })).deletedCount > 0;
    let likes = comment.likeCount ?? 0;
    if (changed) {
      likes = await LikeModel.countDocuments({ comment: comment._id });
      await this.store.setLikes(comment, likes);
    }
    return { commentId, number: comment.number, likes, liked: on, postId: comment.post };
  }

  /** The ids of the comments of a post that this reader likes. */
  async likedOn(
    postId: Types.ObjectId | string,
    liker: Pick<Liker, 'user' | 'browserId'>,
    /**
     * The post's thread version, when the caller has it: what a reader likes is then remembered
     * for that version (a like of theirs, here or in another process, makes a new version).
     */
    threadVersion?: string,
  ): Promise<string[]> {
    const voter = this.voterOf(liker);
    if (!voter) return [];
    const key = threadVersion ? `${String(postId)}:${threadVersion}:${voter}` : '';
    const known = key ? this.liked.get(key) : undefined;
    if (known) return known;
    const likes = await LikeModel.find({ post: postId, voter }).select('comment').lean();
    const ids = likes.map((like) => String(like.comment));
    if (key) this.liked.set(key, ids);
    return ids;
  }

  /** A shown comment of a published post open to comments, not the liker's own. */
  private async likeable(commentId: string, liker: Liker) {
    const comment = isObjectIdString(commentId)
      ? await commentById(commentId).select('_id post status authorUser number likeCount').lean()
      : null;
    if (!comment || comment.status !== 'visible') {
      throw new NotFoundError('That comment does not exist, or is no longer shown.');
    }
    const post = await this.posts.getById(String(comment.post));
    if (post.status !== 'published')
      throw new NotFoundError('That comment does not exist, or is no longer shown.');
    if (!this.gate.commentsOpen(post)) {
      throw new ForbiddenError('Comments are closed on this post, and so is liking them.', 'comments_closed');
    }
    if (liker.user && comment.authorUser && String(comment.authorUser) === liker.user.id) {
      throw new ForbiddenError('You cannot like your own comment.', 'own_comment');
    }
    // Whoever may not comment (banned, suspended, blocked, an unacknowledged warning) may not like.
    await this.gate.assertMayWrite({
      user: liker.user,
      account: liker.user,
      email: '',
      ipHash: hashIp(liker.ip || 'unknown', this.config.sessionSecret),
    });
    return comment;
  }

  /**
   * Stores a like; false when this reader already likes the comment. Paced per account or address.
   * An account's like is keyed by the account; a guest's takes one of the few places its address
   * has on the comment (`<comment>:a:<address>:<n>`), so guests sending at once cannot pass the cap:
   * the database refuses a second like in the same place.
   */
  private async add(
    like: { comment: Types.ObjectId; post: Types.ObjectId; voter: string },
    liker: Liker,
  ): Promise<boolean> {
    const ipHash = hashIp(addressBlock(liker.ip), this.config.sessionSecret);
    if (await LikeModel.exists({ post: like.post, voter: like.voter, comment: like.comment })) return false;
    const taken = await this.pace.take(liker.user ? `user:${liker.user.id}` : `ip:${ipHash}`);
    if (taken.waitMs > 0) {
      const minutes = Math.ceil(taken.waitMs / 60000);
      throw new TooManyRequestsError(
        `You have liked a great many comments in the last hour. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        Math.ceil(taken.waitMs / 1000),
      );
    }
    const places = liker.user
      ? [`${String(like.comment)}:${like.voter}`]
      : Array.from({ length: GUEST_LIKES_PER_ADDRESS }, (_, n) => `${String(like.comment)}:a:${ipHash}:${n}`);
    try {
      for (const _id of places) {
        try {
          await LikeModel.create({ _id, ...like, ipHash });
          return true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
    } catch (err) {
      await taken.undo();
      throw err;
    }
    await taken.undo();
    if (liker.user) return false;
    throw new ForbiddenError(
      'This comment has already been liked from your address by several guests. Sign in to add yours.',
      'address_likes',
    );
  }
}
