import { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { commentById, type CommentStore } from './comment-store.js';
import type { Config } from '../../config/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors/index.js';
import type { CommentGate } from './comment-gate.js';
import { hashIp } from '../../lib/ip-hash.js';
import { checkBody, renderBody } from './comment-body.js';
import { findMentions, withMentionLinks } from '../accounts/mentions.js';
import { FieldErrors, isObjectIdString } from '../../lib/validation.js';
import { paging } from '../../lib/paging.js';
import type { PostService } from '../posts/post-service.js';
import type { SessionUser } from '../accounts/user-service.js';
import { commentPage } from './comment-pages.js';

/** What signed-in commenters do with their own comments: edit within the window, delete, list them. */
export class OwnCommentService {
  constructor(
    private readonly config: Pick<Config, 'commentEditMinutes' | 'sessionSecret'>,
    private readonly posts: Pick<PostService, 'getById'>,
    private readonly store: CommentStore,
    private readonly gate: CommentGate,
    private readonly now: () => number = Date.now,
  ) {}

  /** The author's own comment, for editing or deleting; 403 for anyone else. */
  private async ownComment(user: SessionUser, commentId: string): Promise<Comment> {
    const comment = isObjectIdString(commentId) ? await commentById(commentId).lean<Comment>() : null;
    if (!comment || comment.status === 'deleted') throw new NotFoundError('That comment does not exist.');
    if (!comment.authorUser || String(comment.authorUser) !== user.id) {
      throw new ForbiddenError('You can only change your own comments.');
    }
    return comment;
  }

  /** When the author's editing window for a comment closes. */
  editableUntil(comment: Pick<Comment, 'createdAt'>): Date {
    return new Date(new Date(comment.createdAt).getTime() + this.config.commentEditMinutes * 60000);
  }

  /** The author's comment with its source, for the edit form. */
  async forEditing(
    user: SessionUser,
    commentId: string,
  ): Promise<Comment & { editable: boolean; until: Date; minutesLeft: number }> {
    const comment = await this.ownComment(user, commentId);
    const until = this.editableUntil(comment);
    const left = until.getTime() - this.now();
    return { ...comment, editable: left > 0, until, minutesLeft: Math.max(0, Math.ceil(left / 60000)) };
  }

  /** A comment's text as it would be shown (Markdown, mentions linked), without saving anything. */
  async preview(rawBody: string): Promise<string> {
    const errors = new FieldErrors();
    const body = checkBody(rawBody, errors);
    errors.throwIfAny();
    return this.rendered(body);
  }

  /** Checked text as readers will see it: Markdown rendered, mentions of accounts linked. */
  private async rendered(body: string): Promise<string> {
    return withMentionLinks(renderBody(body), await findMentions(body));
  }

  /**
   * Edits the author's own comment within the window; it then shows "edited". An edit passes the
   * same gate as a new comment: the post must still be published and open, the writer not
   * suspended, banned or blocked, and the new text is screened again (held or refused alike).
   */
  async edit(user: SessionUser, commentId: string, rawBody: string, ip = 'unknown'): Promise<Comment> {
    const comment = await this.ownComment(user, commentId);
    if (this.editableUntil(comment).getTime() <= this.now()) {
      throw new ForbiddenError(
        `Comments can be edited for ${this.config.commentEditMinutes} minutes after posting; this one can no longer be changed.`,
        'edit_window_closed',
      );
    }
    const post = await this.posts.getById(String(comment.post));
    if (post.status !== 'published')
      throw new NotFoundError('That comment is no longer on a published post.');
    this.gate.assertOpen(post);
    const errors = new FieldErrors();
    const body = checkBody(rawBody, errors);
    errors.throwIfAny();
    const writer = { user, email: '', ipHash: hashIp(ip, this.config.sessionSecret) };
    await this.gate.assertMayWrite(writer);
    // Mentions are linked in the new text (those it adds are not told: a mention mails once, when posted).
    const bodyHtml = await this.rendered(body);
    const screening = await this.gate.screen(writer, body, bodyHtml);
    if (screening.refuse) throw new ValidationError(screening.refuse, { body: screening.refuse });
    // A held comment stays held; a shown one is held again if its new text would be.
    const hold = screening.hold && comment.status !== 'removed' ? screening.hold : undefined;
    // updateOne, not findByIdAndUpdate: FerretDB refuses findAndModify with the projection
    // that Mongoose adds for the select:false email.
    await this.store.change(
      comment,
      {
        $set: {
          bodySource: body,
          bodyHtml,
          editedAt: new Date(this.now()),
          ...(hold && { status: 'pending', heldReason: `edited: ${hold}` }),
        },
      },
      'comment.updated',
    );
    return (await commentById(comment._id).lean<Comment>())!;
  }

  /** Deletes the author's own comment: its text goes, its place (and its replies) stay. */
  async deleteOwn(user: SessionUser, commentId: string): Promise<Comment> {
    const comment = await this.ownComment(user, commentId);
    await this.store.change(
      comment,
      { $set: { status: 'deleted', bodySource: '', bodyHtml: '', editedAt: new Date(this.now()) } },
      'comment.deleted',
    );
    return comment;
  }

  /** A user's visible comments, newest first, for their profile. */
  async byUser(userId: string, page: number, perPage = 20) {
    // Through the (authorUser, _id) index.
    const { total, comments } = await commentPage(
      { authorUser: new Types.ObjectId(userId), status: 'visible' },
      page,
      perPage,
      ['number', 'bodyHtml', 'createdAt', 'editedAt'],
    );
    return { comments, paging: paging(page, perPage, total) };
  }
}
