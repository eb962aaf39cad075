import { EventEmitter } from 'node:events';
import type { Types } from 'mongoose';
import type { Post } from '../../models/post.js';
import type { Thread } from './comments/thread.js';

/**
 * Domain events, emitted by services after a write has succeeded; each has one meaning. Who listens
 * to what is wired in one place, services/listeners.ts (and, for pages and sockets, in
 * rendering/page-invalidation.ts and sockets/broadcasts.ts).
 *
 * A comment's life, as readers see it: `comment.created` (new, shown at once), or held and later
 * `comment.released` (approved or restored); `comment.updated` (its text or its lock changed in
 * place); `comment.hidden` (removed by a moderator, or held by readers' reports); `comment.deleted`
 * (by its author). A new comment that is held is not announced to readers: only `moderation.changed`.
 */
export interface DomainEventMap {
  /**
   * A new comment readers can see, as soon as it is stored. Carries the post and, from the write
   * path, the thread with the comment in it, so listeners need no query and no cache lookup.
   */
  'comment.created': { postId: Types.ObjectId; commentId: Types.ObjectId; post?: Post; thread?: Thread };
  /** A comment readers could not see is shown now (a held one approved, a removed one restored). */
  'comment.released': { postId: Types.ObjectId; commentId: Types.ObjectId; post?: Post };
  /** A shown comment changed in place: edited by its author, locked or unlocked. */
  'comment.updated': { postId: Types.ObjectId; commentId: Types.ObjectId };
  /** Readers liked or stopped liking a shown comment: its count now (the thread's version is recorded). */
  'comment.liked': { postId: Types.ObjectId; commentId: Types.ObjectId; likeCount: number };
  /** A shown comment is taken off: removed by a moderator, or held by readers' reports. */
  'comment.hidden': { postId: Types.ObjectId; commentId: Types.ObjectId };
  /** A thread's new version is recorded (after comment.created, which readers hear of first). */
  'thread.updated': { postId: Types.ObjectId };
  /** Its author deleted it (a tombstone stays if it has replies). */
  'comment.deleted': { postId: Types.ObjectId; commentId: Types.ObjectId };
  /** An account's unread replies changed (a new one, or all read): its header count, live. */
  'replies.unread': { userId: string; count: number };
  /** A moderation queue may have changed (a comment held, reported or handled): moderators' counts, live. */
  'moderation.changed': Record<string, never>;
  /** A moderator acted on a comment (the spam classifier learns from approve, reject, remove, restore). */
  'comment.moderated': { commentId: Types.ObjectId; action: string; text: string };
  /**
   * Who an account's open sockets speak for may have changed (its role, its password, a sign-out,
   * its deletion): the socket layer drops them, and they reconnect as what their session is now.
   */
  'account.sessions': { userId: string };
  /** Admin settings changed (saved here, or read after another process saved them): their keys. */
  'settings.changed': { revision: number; keys: string[] };
  'post.published': { postId: Types.ObjectId; slug: string; letterId: Types.ObjectId | null };
  'post.saved': {
    postId: Types.ObjectId;
    slug: string;
    commentStatus: 'open' | 'closed';
    /** A moderator's note to readers when comments were closed. */
    closedNote?: string;
    status?: 'draft' | 'scheduled' | 'published';
    /** The byline's folded name, which guests may no longer use. */
    authorNameKey?: string;
  };
}

export class DomainEvents {
  private readonly emitter = new EventEmitter();

  emit<K extends keyof DomainEventMap>(name: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends keyof DomainEventMap>(name: K, listener: (payload: DomainEventMap[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
