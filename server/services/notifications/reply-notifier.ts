import type { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { commentById, setUnseen } from '../comments/comment-store.js';
import { PostModel, type Post } from '../../../models/post.js';
import { LetterModel } from '../../../models/letter.js';
import { UserModel, type User } from '../../../models/user.js';
import type { Config } from '../../config/index.js';
import { sameToken, sign } from '../../lib/signing.js';
import { isObjectIdString } from '../../lib/validation.js';
import type { DomainEventMap } from '../events.js';
import type { MailQueue } from './mail-queue.js';
import { addressStopToken } from '../../lib/mail-stop.js';
import { MailAddressModel, type MailAddress } from '../../../models/mail-address.js';
import type { ShownComment } from '../comments/thread.js';
import { upsertOne } from '../../db/upsert.js';

/** The lists a reader can leave with one click: an account's reply emails, a guest address's. */
export type MailingList = 'replies' | 'address';

/** At most one confirmation link a day to an address. */
const CONFIRM_SPACING_MS = 24 * 3600000;
/** How long a guest's confirmation link works. */
const CONFIRM_DAYS = 7;

/**
 * Tells readers by email when someone replies to their comment: accounts (on unless they turned it
 * off), and guests who ticked "Email me replies" once their address is confirmed through a link
 * (sent after their first such comment); never for a reply to oneself. Each mail carries a
 * one-click unsubscribe link, in the text and as List-Unsubscribe / List-Unsubscribe-Post headers
 * (RFC 8058), and goes through the mail queue, so the reply's request never waits for the mail
 * server.
 */
export class ReplyNotifier {
  constructor(
    private readonly config: Pick<Config, 'sessionSecret' | 'siteUrl' | 'siteTitle'>,
    private readonly queue: Pick<MailQueue, 'enqueue'>,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** A comment readers can now see (comment.created or comment.released): its parent's writer may be mailed. */
  onShown({ postId, commentId, post, thread }: DomainEventMap['comment.created']): void {
    // From the thread the write path hands over, most comments need no query: a top-level one,
    // or a reply to someone who asked for no mail; without it (another path), they are read.
    const shown = thread?.byId(String(commentId));
    const parent = shown?.parent ? thread?.byId(String(shown.parent)) : undefined;
    const wantsMail = (c?: ShownComment) =>
      Boolean(c && (c.authorUser || c.notifyReplies || c.authorKind === 'letter-writer'));
    // (A mention is a link our renderer made: no query to see that there is none.)
    const mentions = shown?.bodyHtml.includes('class="mention"');
    if (shown && !shown.notifyReplies && !wantsMail(parent) && !mentions) return;
    this.onComment(postId, commentId, post).catch(this.onError);
  }

  /** The token of a one-click unsubscribe link: who (an account id, or an address) and the list, signed. */
  unsubscribeToken(who: string, list: MailingList): string {
    if (list === 'address') return addressStopToken(this.config.sessionSecret, who);
    return `${who}.${list}.${this.mac('unsubscribe', who, list)}`;
  }

  /** Stops the list a token names; false when the token is not one of ours. */
  async unsubscribe(token: string): Promise<{ ok: boolean; username?: string }> {
    const [id, list, mac] = String(token).split('.');
    if (!['replies', 'address'].includes(list) || !sameToken(mac, this.mac('unsubscribe', id, list))) {
      return { ok: false };
    }
    if (list === 'address') {
      const address = Buffer.from(id, 'base64url').toString('utf8');
      await upsertOne(MailAddressModel, { _id: address }, { $set: { stopped: true } });
      return { ok: true };
    }
    const user = await UserModel.findById(id).select('username').lean<User>();
    if (!user) return { ok: false };
    await UserModel.updateOne({ _id: user._id }, { $set: { notifyReplies: false } });
    return { ok: true, username: user.username };
  }

  /**
   * Confirms a guest's "email me replies" on one comment, from the link mailed for it (a week at
   * most); null when the link is not ours or has expired. Per comment: an address confirmed once
   * does not let anyone else ask for mail to it.
   */
  async confirmAddress(token: string): Promise<string | null> {
    const [commentId, expires, mac] = String(token).split('.');
    if (!mac || !isObjectIdString(commentId) || !(Number(expires) > this.now())) return null;
    const comment = await commentById(commentId).select('+authorEmail').lean<Comment>();
    const address = comment?.authorEmail ?? '';
    if (!address || !sameToken(mac, this.mac('confirm', commentId, expires, address))) return null;
    await setUnseen(comment!._id, { notifyConfirmed: true });
    await upsertOne(
      MailAddressModel,
      { _id: address },
      { $set: { confirmedAt: new Date(this.now()), stopped: false } },
    );
    return address;
  }

  /** Whether a confirmation link is one of ours and still valid (the page asks before confirming). */
  confirmationLooksValid(token: string): boolean {
    const [commentId, expires, mac] = String(token).split('.');
    return Boolean(mac && isObjectIdString(commentId) && Number(expires) > this.now());
  }

  private mac(...parts: string[]): string {
    return sign(this.config.sessionSecret, parts.join(':'));
  }

  private url(path: string): string {
    return `${this.config.siteUrl.replace(/\/$/, '')}${path}`;
  }

  private async onComment(postId: Types.ObjectId, commentId: Types.ObjectId, known?: Post): Promise<void> {
    const reply = await commentById(commentId)
      .select(
        '+authorEmail parent authorName authorUser authorKind bodySource number status notifyReplies mentions',
      )
      .lean<Comment>();
    if (!reply || reply.status !== 'visible') return;
    const post = known ?? (await PostModel.findById(postId).select('slug title').lean<Post>());
    if (!post) return;
    if (reply.notifyReplies && reply.authorEmail) await this.askToConfirm(reply);
    const repliedTo = reply.parent ? await this.mailParent(post, reply) : null;
    await this.mailMentioned(post, reply, repliedTo);
  }

  /** The reply mail to the parent comment's writer; returns the account told, if one was. */
  private async mailParent(post: Post, reply: Comment): Promise<string | null> {
    const parent = await commentById(reply.parent!)
      .select('+authorEmail post authorUser authorKind number notifyReplies notifyConfirmed')
      .lean<Comment>();
    if (!parent) return null;
    const to = await this.recipient(parent, reply);
    if (!to) return null;
    await this.queue.enqueue(`reply:${String(reply._id)}:${to.address}`, {
      to: to.address,
      subject: `${reply.authorName} replied to your comment on “${post.title}”`,
      ...this.body(
        post,
        reply,
        to,
        `${reply.authorName} replied to your comment #${parent.number} on “${post.title}”:`,
      ),
    });
    return to.list === 'replies' ? to.who : null;
  }

  /**
   * Accounts the comment mentions hear of it as of a reply, under the same preference and
   * unsubscribe link (not its writer, not the one a reply mail already went to).
   */
  private async mailMentioned(post: Post, reply: Comment, repliedTo: string | null): Promise<void> {
    for (const id of reply.mentions ?? []) {
      if (String(id) === String(reply.authorUser ?? '') || String(id) === repliedTo) continue;
      const to = await this.account(id);
      if (!to) continue;
      // One mention mail an hour from one writer to one person (the queue keeps one job per key).
      const writer = reply.authorUser ? String(reply.authorUser) : `guest:${reply.authorName}`;
      const hour = Math.floor(this.now() / 3600000);
      await this.queue.enqueue(`mention:${writer}:${to.who}:${hour}`, {
        to: to.address,
        subject: `${reply.authorName} mentioned you on “${post.title}”`,
        ...this.body(
          post,
          reply,
          to,
          `${reply.authorName} mentioned you in comment #${reply.number} on “${post.title}”:`,
        ),
      });
    }
  }

  /** A notification's text (the comment quoted, its link, why and how to stop) and unsubscribe headers. */
  private body(
    post: Post,
    reply: Comment,
    to: { who: string; list: MailingList; why: string },
    intro: string,
  ) {
    const link = this.url(`/posts/${post.slug}/comments/${String(reply._id)}`);
    const unsubscribe = this.url(`/unsubscribe/${this.unsubscribeToken(to.who, to.list)}`);
    const excerpt = reply.bodySource.length > 600 ? `${reply.bodySource.slice(0, 600)}…` : reply.bodySource;
    return {
      text: [
        intro,
        '',
        ...excerpt.split('\n').map((line) => `> ${line}`),
        '',
        `Read it and reply: ${link}`,
        '',
        '--',
        to.why,
        `No more reply emails, in one click: ${unsubscribe}`,
      ].join('\n'),
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    };
  }

  /** An account's confirmed address, if it takes reply (and mention) emails. */
  private async account(id: Types.ObjectId) {
    const user = await UserModel.findById(id)
      .select('+email notifyReplies emailConfirmedAt')
      .lean<User & { email: string }>();
    // Only to an address its owner has confirmed: anyone can type someone else's at registration.
    if (!user?.email || !user.emailConfirmedAt || user.notifyReplies === false) return null;
    return {
      address: user.email,
      who: String(user._id),
      list: 'replies' as const,
      why: `You get this because you have an account on ${this.config.siteTitle}.`,
    };
  }

  /** Where a reply to `parent` is mailed, if anywhere. */
  private async recipient(
    parent: Comment,
    reply: Comment,
  ): Promise<{ address: string; who: string; list: MailingList; why: string } | null> {
    if (parent.authorUser) {
      if (String(parent.authorUser) === String(reply.authorUser ?? '')) return null;
      return this.account(parent.authorUser);
    }
    if (parent.authorKind === 'letter-writer') return this.letterWriter(parent, reply);
    const address = parent.notifyReplies && parent.notifyConfirmed ? parent.authorEmail : '';
    if (!address || address === reply.authorEmail) return null;
    const known = await MailAddressModel.findById(address).lean<MailAddress>();
    if (known?.stopped) return null;
    return {
      address,
      who: address,
      list: 'address',
      why: `You get this because you asked for replies to your comment on ${this.config.siteTitle}.`,
    };
  }

  /**
   * The letter writer hears of replies to their comments at the address they wrote from (where the
   * private link reached them), unless they stopped it.
   */
  private async letterWriter(parent: Comment, reply: Comment) {
    if (reply.authorKind === 'letter-writer') return null;
    const post = await PostModel.findById(parent.post).select('letter').lean<Post>();
    const letter = post?.letter
      ? await LetterModel.findById(post.letter).select('+email').lean<{ email: string }>()
      : null;
    const address = letter?.email?.toLowerCase();
    if (!address) return null;
    const known = await MailAddressModel.findById(address).lean<MailAddress>();
    if (known?.stopped) return null;
    return {
      address,
      who: address,
      list: 'address' as const,
      why: `You get this because you wrote the letter this post answers, on ${this.config.siteTitle}.`,
    };
  }

  /**
   * A guest's "email me replies": a link to confirm it for this comment (an address confirmed for
   * one comment is not taken as consent for a comment someone else wrote). Never to an address
   * that stopped, and at most one a day to any address, whoever asks, confirmed or not; the mail
   * itself can stop all mail.
   */
  private async askToConfirm(comment: Comment): Promise<void> {
    const address = comment.authorEmail ?? '';
    const known = await MailAddressModel.findById(address).lean<MailAddress>();
    if (known?.stopped) return;
    if (known?.askedAt && this.now() - new Date(known.askedAt).getTime() < CONFIRM_SPACING_MS) return;
    await upsertOne(MailAddressModel, { _id: address }, { $set: { askedAt: new Date(this.now()) } });
    const never = this.url(`/unsubscribe/${this.unsubscribeToken(address, 'address')}`);
    const commentId = String(comment._id);
    const expires = String(this.now() + CONFIRM_DAYS * 86400000);
    const token = `${commentId}.${expires}.${this.mac('confirm', commentId, expires, address)}`;
    await this.queue.enqueue(`confirm:${commentId}`, {
      to: address,
      subject: `Confirm to get replies from ${this.config.siteTitle}`,
      text: [
        'You asked to get an email when someone replies to your comment.',
        `To confirm that this address is yours, open this link within ${CONFIRM_DAYS} days:`,
        '',
        `  ${this.url(`/notify/confirm/${token}`)}`,
        '',
        'If it was not you, ignore this message: nothing will be sent to you.',
        'To never get mail from this site at this address, whoever types it, open:',
        '',
        `  ${never}`,
      ].join('\n'),
      headers: {
        'List-Unsubscribe': `<${never}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
  }
}
