import type { Types } from 'mongoose';
import { CommentModel, type Comment } from '../../../models/comment.js';
import { PostModel, type Post } from '../../../models/post.js';
import { UserModel, type User } from '../../../models/user.js';
import type { Config } from '../../config/index.js';
import { sameToken, sign } from '../../lib/signing.js';
import type { DomainEvents } from '../events.js';
import type { MailQueue } from './mail-queue.js';

/** The lists a reader can leave with one click (only reply notifications so far). */
export type MailingList = 'replies';

/**
 * Tells account holders by email when someone replies to their comment (on unless they turned it
 * off; never for their own replies). Each mail carries a one-click unsubscribe link, in the text
 * and as List-Unsubscribe / List-Unsubscribe-Post headers (RFC 8058), and goes through the mail
 * queue, so the reply's request never waits for the mail server.
 */
export class ReplyNotifier {
  constructor(
    private readonly config: Pick<Config, 'sessionSecret' | 'siteUrl' | 'siteTitle'>,
    private readonly queue: Pick<MailQueue, 'enqueue'>,
    events: DomainEvents,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    events.on('comment.created', ({ postId, commentId, post, thread }) => {
      // From the thread the write path hands over, a reply to a guest or a new top-level comment
      // costs no query; without it (another path), the comments are read.
      const shown = thread?.byId(String(commentId));
      const parent = shown?.parent ? thread?.byId(String(shown.parent)) : undefined;
      if (shown && (!shown.parent || (parent && !parent.authorUser))) return;
      this.onComment(postId, commentId, post).catch(this.onError);
    });
  }

  /** The token of a one-click unsubscribe link: the account and the list, signed. */
  unsubscribeToken(userId: string, list: MailingList): string {
    return `${userId}.${list}.${sign(this.config.sessionSecret, `unsubscribe:${userId}:${list}`)}`;
  }

  /** Turns a list off for the account a token names; false when the token is not one of ours. */
  async unsubscribe(token: string): Promise<{ ok: boolean; username?: string }> {
    const [userId, list, mac] = String(token).split('.');
    if (
      list !== 'replies' ||
      !sameToken(mac, sign(this.config.sessionSecret, `unsubscribe:${userId}:${list}`))
    ) {
      return { ok: false };
    }
    const user = await UserModel.findById(userId).select('username').lean<User>();
    if (!user) return { ok: false };
    await UserModel.updateOne({ _id: user._id }, { $set: { notifyReplies: false } });
    return { ok: true, username: user.username };
  }

  private async onComment(postId: Types.ObjectId, commentId: Types.ObjectId, known?: Post): Promise<void> {
    const reply = await CommentModel.findById(commentId)
      .select('parent authorName authorUser bodySource number status')
      .lean<Comment>();
    if (!reply?.parent || reply.status !== 'visible') return;
    const parent = await CommentModel.findById(reply.parent).select('authorUser number').lean<Comment>();
    const to = parent?.authorUser;
    if (!to || String(to) === String(reply.authorUser ?? '')) return;
    const user = await UserModel.findById(to)
      .select('+email username notifyReplies')
      .lean<User & { email: string }>();
    if (!user?.email || user.notifyReplies === false) return;
    const post = known ?? (await PostModel.findById(postId).select('slug title').lean<Post>());
    if (!post) return;
    const base = this.config.siteUrl.replace(/\/$/, '');
    const link = `${base}/posts/${post.slug}/comments/${String(commentId)}`;
    const unsubscribe = `${base}/unsubscribe/${this.unsubscribeToken(String(user._id), 'replies')}`;
    const excerpt = reply.bodySource.length > 600 ? `${reply.bodySource.slice(0, 600)}…` : reply.bodySource;
    await this.queue.enqueue(`reply:${String(commentId)}:${String(user._id)}`, {
      to: user.email,
      subject: `${reply.authorName} replied to your comment on “${post.title}”`,
      text: [
        `${reply.authorName} replied to your comment #${parent!.number} on “${post.title}”:`,
        '',
        ...excerpt.split('\n').map((line) => `> ${line}`),
        '',
        `Read it and reply: ${link}`,
        '',
        '--',
        `You get this because you have an account on ${this.config.siteTitle}.`,
        `No more reply emails, in one click: ${unsubscribe}`,
      ].join('\n'),
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
  }
}
