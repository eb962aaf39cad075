import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { LETTER_STATUSES, LetterModel, type Letter, type LetterStatus } from '../../../models/letter.js';
import { PostModel, type Post } from '../../../models/post.js';
import type { Config } from '../../config/index.js';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../../errors/index.js';
import { COMMENT_LIMITS } from '../comments/comment-body.js';
import { FieldErrors, isEmail } from '../../lib/validation.js';
import type { Mailer } from '../../mail/mailer.js';
import type { MailQueue } from '../notifications/mail-queue.js';
import { MailAddressModel, type MailAddress } from '../../../models/mail-address.js';
import type { PostService } from '../posts/post-service.js';
import type { LimiterFactory, SharedRateLimiter } from '../../lib/shared-limiter.js';
import { addressBlock, hashIp } from '../../lib/ip-hash.js';
import { escapeRegex } from '../../lib/escape-regex.js';
import { sameToken, sign } from '../../lib/signing.js';
import type { SessionUser } from '../accounts/user-service.js';
import { isDuplicateKey } from '../../db/upsert.js';
import { keysetPage } from '../../lib/paging.js';

export { LETTER_STATUSES };

export const LETTER_LIMITS = { subject: 200, body: 8000, pseudonym: 60 } as const;

export interface LetterInput {
  subject: string;
  body: string;
  pseudonym: string;
  email: string;
  consentPublish: boolean;
  wantsAnonymized: boolean;
  /** Honeypot: a field people never see and bots fill in. */
  website: string;
  /** Signed time the form was served (minimum fill time). */
  formToken: string;
}

/** Letters per page of the inbox. */
export const INBOX_PAGE = 50;

/**
 * Reader letters: the Ask form with its spam checks, the editor's inbox
 * (status, notes, redaction), turning a letter into a draft post, and telling
 * the letter-writer when the answer is published, with a private link to
 * comment on it under the "Letter writer" badge.
 */

export class LetterService {
  private readonly perIp: SharedRateLimiter;

  constructor(
    private readonly config: Pick<
      Config,
      'sessionSecret' | 'askMinSeconds' | 'askPerHour' | 'siteUrl' | 'siteTitle'
    >,
    private readonly posts: PostService,
    private readonly mailer: Mailer,
    private readonly now: () => number,
    limiter: LimiterFactory,
    /** The durable queue, for the mail that says a letter arrived (sent after the response). */
    private readonly mailQueue?: Pick<MailQueue, 'enqueue'>,
  ) {
    this.perIp = limiter('ask', config.askPerHour, 3600000);
  }

  /** The hidden field that proves when the form was served. */
  formToken(): string {
    const issued = String(this.now());
    return `${issued}.${sign(this.config.sessionSecret, `ask:${issued}`)}`;
  }

  private checkFormToken(token: string): 'ok' | 'fast' | 'bad' {
    const [issued, signature] = token.split('.');
    if (!issued || !signature) return 'bad';
    if (!sameToken(signature, sign(this.config.sessionSecret, `ask:${issued}`))) return 'bad';
    const age = this.now() - Number(issued);
    if (age > 24 * 3600000) return 'bad';
    return age < this.config.askMinSeconds * 1000 ? 'fast' : 'ok';
  }

  async submit(input: LetterInput, ip: string): Promise<Letter> {
    const ipKey = hashIp(ip, this.config.sessionSecret);
    // Bots: the honeypot and the clock. The answer is the same readable refusal either way.
    const token = this.checkFormToken(input.formToken);
    if (input.website.trim() || token === 'bad') {
      throw new ValidationError('We could not accept this letter. Please reload the page and send it again.');
    }
    const errors = new FieldErrors();
    const subject = input.subject.trim();
    const body = input.body.replace(/\r\n/g, '\n').trim();
    const pseudonym = input.pseudonym.trim().replace(/\s+/g, ' ');
    const email = input.email.trim().toLowerCase();
    if (!subject) errors.add('subject', 'Give your letter a subject.');
    else if (subject.length > LETTER_LIMITS.subject)
      errors.add('subject', `Keep the subject under ${LETTER_LIMITS.subject} characters.`);
    if (!body) errors.add('letter', 'Write your letter.');
    else if (body.length > LETTER_LIMITS.body) {
      errors.add(
        'letter',
        `Your letter is ${body.length} characters long; the limit is ${LETTER_LIMITS.body}.`,
      );
    }
    if (pseudonym.length > LETTER_LIMITS.pseudonym)
      errors.add('pseudonym', 'Keep the name under 60 characters.');
    if (!email)
      errors.add('email', 'Give an email address so we can tell you when your answer is published.');
    else if (!isEmail(email)) errors.add('email', 'That does not look like an email address.');
    if (!input.consentPublish)
      errors.add('consentPublish', 'We can only answer letters we may publish and edit.');
    // What needs changing first; the clock only once the letter is otherwise ready (a letter pasted
    // in at once is sent again a moment later, as it was).
    errors.throwIfAny();
    if (token === 'fast') {
      throw new ValidationError('That was very quick. Please check your letter, then send it again.', {
        letter: 'Take a moment to check your letter, then send it again.',
      });
    }

    // Checked and counted in one step, so letters sent at once cannot all slip under the limit.
    // Per address block (an IPv6 /64 is one writer), not per address: rotating within it is no way round.
    const taken = await this.perIp.take(hashIp(addressBlock(ip), this.config.sessionSecret));
    if (taken.waitMs > 0) {
      throw new TooManyRequestsError(
        'You have sent several letters in the last hour. Please try again later.',
        Math.ceil(taken.waitMs / 1000),
      );
    }
    for (let attempt = 0; ; attempt += 1) {
      const reference = `Q-${randomBytes(4).toString('hex').toUpperCase().slice(0, 6)}`;
      try {
        const letter = await LetterModel.create({
          reference,
          subject,
          body,
          pseudonym,
          email,
          consentPublish: true,
          wantsAnonymized: input.wantsAnonymized,
          ipHash: ipKey,
        });
        const stored = letter.toObject() as Letter;
        // Stored: a failed acknowledgement must not turn into an error that makes them send it twice.
        await this.acknowledge(stored, email).catch(() => undefined);
        return stored;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 5) {
          await taken.undo(); // not sent: it does not count against the writer
          throw err;
        }
      }
    }
  }

  /**
   * Tells the writer their letter arrived, with its reference (what to quote when writing to the
   * editors about it). Queued, so a mail server that is away delays it and loses nothing.
   */
  private async acknowledge(letter: Letter, email: string): Promise<void> {
    // Anyone can type any address: never to one whose owner asked for no mail, at most one a day to
    // an address (the queue keeps one job per key), and the writer's own words not in the subject.
    if ((await MailAddressModel.findById(email).select('stopped').lean<MailAddress>())?.stopped) return;
    const day = new Date(this.now()).toISOString().slice(0, 10);
    await this.mailQueue?.enqueue(`letter-received:${email}:${day}`, {
      to: email,
      subject: `We have your letter (${letter.reference})`,
      text: [
        `Hello${letter.pseudonym ? ` ${letter.pseudonym}` : ''},`,
        '',
        `Thank you for writing to ${this.config.siteTitle}. Your letter arrived; its reference is ${letter.reference}.`,
        'The columnist reads every letter but cannot answer them all. If yours is answered, we will',
        'write to this address with a link to the answer, and a private link to join the discussion.',
        '',
        `Your letter: "${letter.subject}"`,
        '',
        `— ${this.config.siteTitle}`,
      ].join('\n'),
    });
  }

  /** The inbox, newest first, a page at a time (older than `before`, a letter id); one more is read to tell if more follow. */
  async list(filter: {
    status?: string;
    q?: string;
    before?: string;
  }): Promise<{ letters: Letter[]; olderThan?: string }> {
    const query: Record<string, unknown> = {};
    if (filter.before && mongoose.Types.ObjectId.isValid(filter.before)) {
      query._id = mongoose.trusted({ $lt: new mongoose.Types.ObjectId(filter.before) });
    }
    // By default the letters still to deal with: archived ones only when asked for ("any" or by name).
    if (filter.status && (LETTER_STATUSES as readonly string[]).includes(filter.status))
      query.status = filter.status;
    else if (filter.status !== 'any') query.status = mongoose.trusted({ $ne: 'archived' });
    const q = filter.q?.trim();
    if (q) {
      // No $text on the embedded database: a case-insensitive search over subject, letter and name.
      const pattern = { $regex: escapeRegex(q), $options: 'i' };
      query.$or = [
        { subject: mongoose.trusted(pattern) },
        { body: mongoose.trusted(pattern) },
        { pseudonym: mongoose.trusted(pattern) },
      ];
    }
    // Newest first by _id: read in index order until a page matches, however many letters there are.
    const found = await LetterModel.find(query)
      .sort({ _id: -1 })
      .limit(INBOX_PAGE + 1)
      .lean<Letter[]>();
    const { items, older } = keysetPage(found, INBOX_PAGE);
    return { letters: items, olderThan: older ?? undefined };
  }

  async get(id: string): Promise<Letter & { email: string }> {
    const letter = Types.ObjectId.isValid(id)
      ? await LetterModel.findById(id).select('+email').lean<Letter & { email: string }>()
      : null;
    if (!letter) throw new NotFoundError('There is no such letter.');
    return letter;
  }

  async addNote(actor: SessionUser, id: string, text: string): Promise<void> {
    const note = text.trim();
    if (!note) throw new ValidationError('Write the note first.', { note: 'Empty note.' });
    if (note.length > 4000)
      throw new ValidationError('Keep notes under 4,000 characters.', { note: 'Too long.' });
    const letter = await this.get(id);
    // The whole list is written back (not $push): the embedded database ignores $position and $slice anyway.
    await LetterModel.updateOne(
      { _id: letter._id },
      { $set: { notes: [...letter.notes, { by: actor.username, text: note, at: new Date(this.now()) }] } },
    );
  }

  async setStatus(id: string, status: string): Promise<void> {
    if (!(LETTER_STATUSES as readonly string[]).includes(status))
      throw new ValidationError('Choose a valid status.');
    const letter = await this.get(id);
    await LetterModel.updateOne({ _id: letter._id }, { $set: { status: status as LetterStatus } });
  }

  /** The version to publish, with identifying details taken out; the original stays for the editors. */
  async redact(id: string, text: string): Promise<void> {
    const redacted = text.replace(/\r\n/g, '\n').trim();
    if (redacted.length > LETTER_LIMITS.body)
      throw new ValidationError('The redacted letter is too long.', { redactedBody: 'Too long.' });
    const letter = await this.get(id);
    await LetterModel.updateOne({ _id: letter._id }, { $set: { redactedBody: redacted } });
  }

  /**
   * "Answer this letter": a draft post quoting the letter as redacted, linked both ways. A redaction
   * sent with it (the version on the editor's screen) is saved first, so the draft never quotes an
   * older version than the one the editor saw; once a draft exists it is returned as it is.
   */
  async answer(actor: SessionUser, id: string, redactedBody?: string): Promise<Post> {
    let letter = await this.get(id);
    if (letter.post) {
      const existing = await PostModel.findById(letter.post).lean<Post>();
      if (existing) return existing;
    }
    if (redactedBody !== undefined) {
      await this.redact(id, redactedBody);
      letter = await this.get(id);
    }
    const post = await this.posts.createDraftForLetter(
      { _id: letter._id, subject: letter.subject, text: letter.redactedBody || letter.body },
      actor.username,
    );
    await LetterModel.updateOne({ _id: letter._id }, { $set: { post: post._id, status: 'shortlisted' } });
    return post;
  }

  /**
   * Who publishing a post tells: the letter it answers (its reference and writer's address) and
   * whether the writer has been mailed yet, for the editor's confirmation. Null for a post with no letter.
   */
  async publicationNotice(
    post: Pick<Post, 'letter'>,
  ): Promise<{ reference: string; email: string; notifiedAt: Date | null } | null> {
    if (!post.letter) return null;
    const letter = await LetterModel.findById(post.letter)
      .select('+email reference notifiedAt')
      .lean<Letter & { email: string }>();
    return letter
      ? { reference: letter.reference, email: letter.email, notifiedAt: letter.notifiedAt ?? null }
      : null;
  }

  /** The private link that lets the letter-writer comment on this post, and only this post. */
  letterWriterToken(letterId: Types.ObjectId | string, postId: Types.ObjectId | string): string {
    return sign(this.config.sessionSecret, `letter-writer:${String(letterId)}:${String(postId)}`);
  }

  /** Checks a private link against the post it is used on; returns the letter-writer's display name. */
  async verifyLetterWriter(
    post: Pick<Post, '_id' | 'letter'>,
    token: string,
  ): Promise<{ name: string } | null> {
    if (!post.letter) return null;
    if (!sameToken(token, this.letterWriterToken(post.letter, post._id))) return null;
    const letter = await LetterModel.findById(post.letter).select('pseudonym').lean();
    // A comment's name holds 60 characters: a long pseudonym is shortened to leave room for the mark.
    const mark = ' (letter writer)';
    const pseudonym = (letter?.pseudonym ?? '')
      .trim()
      .slice(0, COMMENT_LIMITS.authorName - mark.length)
      .trim();
    return { name: pseudonym ? `${pseudonym}${mark}` : 'The letter writer' };
  }

  /** When a post answering a letter is published: mark the letter answered and tell its writer. */
  async onPublished(postId: Types.ObjectId, letterId: Types.ObjectId): Promise<void> {
    const letter = await LetterModel.findById(letterId).select('+email').lean<Letter & { email: string }>();
    const post = await PostModel.findById(postId).lean<Post>();
    if (!letter || !post) return;
    await LetterModel.updateOne({ _id: letter._id }, { $set: { status: 'answered', post: post._id } });
    if (letter.notifiedAt) return;
    const base = this.config.siteUrl.replace(/\/$/, '');
    const postUrl = `${base}/posts/${post.slug}`;
    const privateUrl = `${postUrl}/letter-writer/${this.letterWriterToken(letter._id, post._id)}`;
    await this.mailer.send({
      to: letter.email,
      subject: `Your letter has been answered: ${post.title}`,
      text: [
        `Hello${letter.pseudonym ? ` ${letter.pseudonym}` : ''},`,
        '',
        `Thank you for writing to ${this.config.siteTitle} (your reference: ${letter.reference}).`,
        'The columnist has answered your letter:',
        '',
        `  ${postUrl}`,
        '',
        'Readers often want to hear from the letter writer. This private link lets you join the',
        'discussion under a "Letter writer" badge, without an account. Please keep it to yourself:',
        '',
        `  ${privateUrl}`,
        '',
        `— ${this.config.siteTitle}`,
      ].join('\n'),
    });
    await LetterModel.updateOne({ _id: letter._id }, { $set: { notifiedAt: new Date(this.now()) } });
  }
}
