import type { Post } from '../../../models/post.js';
import { commentExists } from './comment-store.js';
import type { Config } from '../../config/index.js';
import { ForbiddenError, TooManyRequestsError } from '../../errors/index.js';
import { screenComment, type Screening } from './comment-rules.js';
import type { LimiterFactory, SharedRateLimiter } from '../../lib/shared-limiter.js';
import type { WarningService } from '../moderation/warning-service.js';
import type { SanctionService } from '../moderation/sanction-service.js';
import type { SessionUser } from '../accounts/user-service.js';
import type { SpamService } from '../moderation/spam-service.js';
import { isStaff } from '../../lib/roles.js';

export interface Writer {
  user?: SessionUser;
  /** The signed-in account behind a letter-writer link (its sanctions still apply). */
  account?: SessionUser;
  /** Guest email, lowercased; empty when none. */
  email: string;
  ipHash: string;
}

/**
 * Everything a new comment must pass before it is written: the post is open
 * (including the automatic close after AUTO_CLOSE_DAYS), the writer is not
 * suspended, banned or blocked, is not posting too fast, and the text passes
 * the publication rules (refused, held, or published).
 */
/**
 * Accounts' comments from one address per interval. An office, a university or a mobile carrier
 * puts many readers behind one address, and on a busy thread two of them commenting within the same
 * few seconds is ordinary: each account has its own pace, and the address only bounds a flood of
 * accounts. Guests are paced by address strictly (any email can be typed, so the address is what
 * tells one guest from another).
 */
export const ACCOUNTS_PER_ADDRESS = 6;

export class CommentGate {
  private pace: { seconds: number; one: SharedRateLimiter; accounts: SharedRateLimiter } | undefined;

  constructor(
    private readonly config: Pick<
      Config,
      | 'autoCloseDays'
      | 'commentIntervalSeconds'
      | 'bannedWords'
      | 'suspectWords'
      | 'holdLinksOver'
      | 'holdFirstComment'
      | 'spamHoldScore'
    >,
    private readonly sanctions: SanctionService,
    private readonly now: () => number,
    private readonly limiter: LimiterFactory,
    /** A warned account comments again only once it has acknowledged the warning. */
    private readonly warnings?: Pick<WarningService, 'pending'>,
    /** The classifier trained on moderators' decisions: a score at or above SPAM_HOLD_SCORE holds. */
    private readonly spam?: Pick<SpamService, 'score'>,
  ) {}

  /** The pace limiters for the interval in force (an admin can change it while the site runs). */
  private paceLimiters(): { one: SharedRateLimiter; accounts: SharedRateLimiter } {
    const seconds = Math.max(1, this.config.commentIntervalSeconds);
    if (this.pace?.seconds !== seconds) {
      this.pace = {
        seconds,
        one: this.limiter('comment-pace', 1, seconds * 1000),
        accounts: this.limiter('comment-pace-accounts', ACCOUNTS_PER_ADDRESS, seconds * 1000),
      };
    }
    return this.pace;
  }

  commentsOpen(post: Pick<Post, 'commentStatus' | 'publishedAt'>): boolean {
    if (post.commentStatus !== 'open') return false;
    if (!this.config.autoCloseDays || !post.publishedAt) return true;
    return new Date(post.publishedAt).getTime() + this.config.autoCloseDays * 86400000 > this.now();
  }

  assertOpen(post: Pick<Post, 'commentStatus' | 'publishedAt'>): void {
    if (!this.commentsOpen(post))
      throw new ForbiddenError('Comments are closed on this post.', 'comments_closed');
  }

  /** Each limiter a comment takes a turn from, with the key it counts under. */
  private paceTurns(writer: Writer): [SharedRateLimiter, string][] {
    const { one, accounts } = this.paceLimiters();
    const address = `ip:${writer.ipHash}`;
    if (writer.user)
      return [
        [accounts, address],
        [one, `user:${writer.user.id}`],
      ];
    const turns: [SharedRateLimiter, string][] = [[one, address]];
    if (writer.email) turns.push([one, `email:${writer.email}`]);
    return turns;
  }

  /** Suspensions, bans and blocks: throws 403 with a message the writer can act on. */
  async assertMayWrite(writer: Writer): Promise<void> {
    // Staff answer for themselves: an address block or a warning aimed at readers never silences
    // them (a moderator blocking a network an admin shares, or warning an admin, stops nobody).
    const staff = isStaff(writer.user);
    const [, warning] = await Promise.all([
      this.sanctions.assertMayPost({
        userId: (writer.user ?? writer.account)?.id,
        email: staff ? undefined : writer.email,
        ipHash: staff ? undefined : writer.ipHash,
      }),
      writer.user && !staff && this.warnings ? this.warnings.pending(writer.user.id) : null,
    ]);
    if (warning) {
      throw new ForbiddenError(
        'A moderator has warned you. Read the warning at the top of the page and acknowledge it, then comment again.',
        'warning_not_acknowledged',
      );
    }
  }

  /**
   * Sanctions and pace; throws 403 or 429 with a message the writer can act on. The pace is
   * checked and counted in one step (two posts at once cannot both pass); call the returned
   * function if the comment is then not written, to give the turn back.
   */
  async admit(writer: Writer): Promise<() => Promise<void>> {
    await this.assertMayWrite(writer);
    const none = async () => undefined;
    if (!this.config.commentIntervalSeconds || isStaff(writer.user)) return none;
    const taken = await Promise.all(this.paceTurns(writer).map(([limiter, key]) => limiter.take(key)));
    const undo = async () => {
      await Promise.all(taken.map((t) => t.undo()));
    };
    const wait = Math.max(...taken.map((t) => t.waitMs));
    if (wait > 0) {
      await undo();
      const seconds = Math.ceil(wait / 1000);
      throw new TooManyRequestsError(
        `You are commenting too quickly. Please wait ${seconds} second${seconds === 1 ? '' : 's'} and post again.`,
        seconds,
      );
    }
    return undo;
  }

  async screen(writer: Writer, body: string, html: string, trustedWriter = false): Promise<Screening> {
    const trusted = trustedWriter || isStaff(writer.user);
    let isFirstComment = false;
    if (this.config.holdFirstComment && !trusted) {
      const mine = writer.user
        ? { authorUser: writer.user.id }
        : writer.email
          ? { authorEmail: writer.email }
          : null;
      isFirstComment = !mine || !(await commentExists({ ...mine, status: 'visible' }));
    }
    const screening = screenComment({ body, html, isFirstComment, trusted }, this.config);
    if (screening.refuse || screening.hold || trusted || !this.spam) return screening;
    const spamScore = this.spam.score(body);
    if (spamScore !== null && spamScore >= this.config.spamHoldScore) {
      return { hold: `spam score ${spamScore} (holds at ${this.config.spamHoldScore})` };
    }
    return screening;
  }
}
