import type { FilterQuery, Types, UpdateQuery } from 'mongoose';
import { CommentModel, type Comment } from '../../../models/comment.js';
import type { Post } from '../../../models/post.js';
import type { DomainEvents } from '../events.js';

/**
 * The comments collection's one owner: no other module imports the comment model (lint rule
 * `no-restricted-imports` in eslint.config.mjs). Reads are queries that the caller shapes (select,
 * sort, limit, lean) through the functions below; writes are named, and those that change what
 * readers see of a thread go through `CommentStore`, which records the thread's new version before
 * it tells anyone (write, then refresh, then the event), in that order, in one place.
 */

export type CommentFilter = FilterQuery<Comment>;

/** Comments matching a filter (a query to shape: select, sort, limit, lean, cursor). */
export const findComments = (filter: CommentFilter = {}) => CommentModel.find(filter);
/** The first comment matching a filter. */
export const findComment = (filter: CommentFilter) => CommentModel.findOne(filter);
/** One comment by id (a query to shape). */
export const commentById = (id: Types.ObjectId | string) => CommentModel.findById(id);
/** Whether any comment matches. */
export const commentExists = (filter: CommentFilter) => CommentModel.exists(filter);
/** How many comments match (through an index: callers keep filters indexed). */
export const countComments = (filter: CommentFilter) => CommentModel.countDocuments(filter);

/**
 * New comments, built as Mongoose's insertMany would (defaults, casting, timestamps) but validated
 * synchronously (its asynchronous validation added a millisecond to every live reply), then
 * written in one insert. Callers number them and record the thread's version (the write path's
 * batch queue, imports, the seed).
 */
export async function insertComments(
  docs: object[],
  options: { ordered?: boolean } = {},
): Promise<Comment[]> {
  const built = docs.map((doc) => {
    const model = new CommentModel(doc);
    // Added to every schema with timestamps by Mongoose (what insertMany itself calls), not typed.
    (model as unknown as { initializeTimestamps(): void }).initializeTimestamps();
    return model;
  });
  for (const doc of built) {
    const invalid = doc.validateSync();
    if (invalid) throw invalid;
  }
  const stored = built.map((doc) => doc.toObject() as Comment);
  await CommentModel.insertMany(stored, { ordered: options.ordered ?? true, lean: true });
  return stored;
}

/**
 * Imports' insert: as many of `docs` as can be written (unordered, so one duplicate does not stop
 * the rest; the error lists what was not). Their threads' versions are recorded by the importer.
 */
export const importComments = (docs: object[]) =>
  CommentModel.insertMany(docs, { ordered: false, lean: true });

/** Removes every comment of a post (the demo seed, rebuilding its threads). */
export const deleteCommentsOf = (postId: Types.ObjectId) => CommentModel.deleteMany({ post: postId });

/** Removes every comment (the demo seed's reset). */
export const deleteAllComments = () => CommentModel.deleteMany({});

/**
 * A change that readers do not see in the thread (a report count below the threshold, a confirmed
 * reply subscription): written without a new thread version.
 */
export async function setUnseen(id: Types.ObjectId, set: Partial<Comment>): Promise<void> {
  await CommentModel.updateOne({ _id: id }, { $set: set });
}

type CommentEvent = 'comment.updated' | 'comment.hidden' | 'comment.deleted' | 'comment.released';

/**
 * Writes that change what a thread shows. Each one: write, then record the thread's new version
 * (`refreshThread`, the comment service's `afterWrite`, queued with that thread's other writes so
 * a fresh read never overtakes a comment being numbered), then emit its event, if it has one.
 */
export class CommentStore {
  constructor(
    private readonly events: DomainEvents,
    /** Records a thread's new version after a write (null when the post is gone). */
    private readonly refreshThread: (postId: Types.ObjectId) => Promise<Post | null>,
    /** Records a thread's new version after a change to one comment's shown fields that keeps its shape. */
    private readonly changeThread: (
      postId: Types.ObjectId,
      commentId: string,
      set: Partial<Comment>,
    ) => Promise<void> = async (postId) => {
      await refreshThread(postId);
    },
  ) {}

  /** Changes one comment; returns its post as now recorded (the thread's new version and count). */
  async change(
    comment: { _id: Types.ObjectId; post: Types.ObjectId },
    update: UpdateQuery<Comment>,
    event?: CommentEvent,
  ): Promise<Post | null> {
    await CommentModel.updateOne({ _id: comment._id }, update);
    const post = await this.refreshThread(comment.post);
    if (event) this.emit(event, comment, post);
    return post;
  }

  /**
   * Records a comment's likes, counted by the caller from the likes collection: the thread's new
   * version is made in memory (`changeThread`, no read), then readers hear of the count.
   */
  async setLikes(comment: { _id: Types.ObjectId; post: Types.ObjectId }, likeCount: number): Promise<void> {
    await CommentModel.updateOne({ _id: comment._id }, { $set: { likeCount } });
    await this.changeThread(comment.post, String(comment._id), { likeCount });
    this.events.emit('comment.liked', { postId: comment.post, commentId: comment._id, likeCount });
  }

  /** Changes every comment of an account (its name, or its erasure), and each thread they are in. */
  async changeAllBy(userId: Types.ObjectId, set: Partial<Comment>): Promise<void> {
    const mine = await CommentModel.find({ authorUser: userId }).select('post').lean<Comment[]>();
    await CommentModel.updateMany({ authorUser: userId }, { $set: set });
    for (const post of new Map(mine.map((c) => [String(c.post), c.post])).values()) {
      await this.refreshThread(post);
    }
  }

  private emit(
    event: CommentEvent,
    comment: { _id: Types.ObjectId; post: Types.ObjectId },
    post: Post | null,
  ): void {
    const payload = { postId: comment.post, commentId: comment._id };
    // A released comment's listeners render it with its post: they get the one just recorded.
    if (event === 'comment.released') this.events.emit(event, { ...payload, post: post ?? undefined });
    else this.events.emit(event, payload);
  }
}
