import type { Config } from '../config/index.js';
import { CommentService } from './comments/comment-service.js';
import { CommentStore } from './comments/comment-store.js';
import { DomainEvents } from './events.js';
import { PostService } from './posts/post-service.js';
import { UserService } from './accounts/user-service.js';
import { ReservedNames } from './accounts/reserved-names.js';
import { AccountService } from './accounts/account-service.js';
import { MailQueue } from './notifications/mail-queue.js';
import { ReplyNotifier } from './notifications/reply-notifier.js';
import { RepliesInbox } from './notifications/replies-inbox.js';
import { FollowService } from './notifications/follows.js';
import { AuditService } from './moderation/audit-service.js';
import { CommentGate } from './comments/comment-gate.js';
import { ModerationService } from './moderation/moderation-service.js';
import { OwnCommentService } from './comments/own-comment-service.js';
import { LikeService } from './comments/like-service.js';
import { LetterService } from './letters/letter-service.js';
import { createMailer, type Mailer } from '../mail/mailer.js';
import type { Logger } from 'pino';
import { SharedRateLimiter, type RedisClient, type RemoteLimits } from '../lib/shared-limiter.js';
import { SanctionService } from './moderation/sanction-service.js';
import { CommenterService } from './moderation/commenter-service.js';
import { WarningService } from './moderation/warning-service.js';
import { SettingsService } from './settings/settings-service.js';
import { SpamService } from './moderation/spam-service.js';
import { SearchIndex } from './search/search-index.js';
import { SearchService } from './search/search-service.js';
import { wireListeners } from './listeners.js';

export interface Services {
  events: DomainEvents;
  posts: PostService;
  comments: CommentService;
  ownComments: OwnCommentService;
  /** Readers' likes of comments (the Top order's key). */
  likes: LikeService;
  users: UserService;
  /** Account names and bylines, which guests may not use. */
  names: ReservedNames;
  /** A reader's own account: password reset and change, email, data download, deletion. */
  accounts: AccountService;
  /** Outgoing mail, stored and retried; `start()` it in a server process. */
  mailQueue: MailQueue;
  /** Reply notifications by email, and their one-click unsubscribe. */
  replies: ReplyNotifier;
  /** Replies to an account's comments, and how many it has not seen. */
  inbox: RepliesInbox;
  /** Following a post: its new comments as an email digest. */
  follows: FollowService;
  gate: CommentGate;
  sanctions: SanctionService;
  audit: AuditService;
  moderation: ModerationService;
  /** A commenter's history for moderators, and removing a spam wave. */
  commenters: CommenterService;
  /** Moderators' warnings to accounts, acknowledged before commenting again. */
  warnings: WarningService;
  letters: LetterService;
  mailer: Mailer;
  /** The settings admins change at /admin/settings, applied without a restart. */
  settings: SettingsService;
  /** The spam classifier trained on moderators' decisions; `start()` its schedule in a server process. */
  spam: SpamService;
  /** Search over posts and comments (BM25, stemming, phrases, filters, permissions). */
  search: SearchService;
  /** Keeps the search index in step with every write (`flush()` waits for it). */
  searchIndex: SearchIndex;
}

/** The services that HTTP controllers and socket handlers share. */
export function createServices(deps: {
  config: Config;
  now?: () => number;
  mailer?: Mailer;
  logger?: Logger;
  /** With Redis, limits on logins, comment pace and letters hold across processes. */
  redis?: RedisClient;
  /** Without Redis, a cluster worker's limits are kept by its primary for every worker. */
  limits?: RemoteLimits;
}): Services {
  const now = deps.now ?? Date.now;
  const limiter = (name: string, limit: number, windowMs: number) =>
    new SharedRateLimiter(name, limit, windowMs, now, deps.redis, deps.limits);
  const events = new DomainEvents();
  const audit = new AuditService();
  const settings = new SettingsService(deps.config, events, audit);
  const posts = new PostService(deps.config, events, now, audit);
  const mailer = deps.mailer ?? createMailer(deps.config, deps.logger);
  const names = new ReservedNames(now, undefined, (err) =>
    deps.logger?.error({ err }, 'reading account names and bylines failed'),
  );
  const users = new UserService(deps.config, limiter, names, events, audit);
  const sanctions = new SanctionService(audit, now);
  const warnings = new WarningService(audit);
  const spam = new SpamService(deps.config, now, (err) =>
    deps.logger?.error({ err }, 'spam classifier failed'),
  );
  const gate = new CommentGate(deps.config, sanctions, now, limiter, warnings, spam);
  const comments = new CommentService(deps.config, events, posts, names, gate);
  // Writes that change a thread record its new version (comments.refreshThread) before their event.
  const store = new CommentStore(
    events,
    (postId) => comments.refreshThread(postId),
    (postId, commentId, set) => comments.afterChange(postId, commentId, set),
  );
  const logError = (what: string) => (err: unknown) => deps.logger?.error({ err }, what);
  const moderation = new ModerationService(deps.config, events, store, posts, sanctions, audit);
  const mailQueue = new MailQueue(mailer, now, logError('sending queued mail failed'));
  const letters = new LetterService(deps.config, posts, mailer, now, limiter, mailQueue);
  const replies = new ReplyNotifier(deps.config, mailQueue, logError('reply notification failed'), now);
  const services: Services = {
    events,
    posts,
    users,
    names,
    gate,
    sanctions,
    audit,
    comments,
    mailQueue,
    replies,
    follows: new FollowService(deps.config, comments, mailQueue, now, logError('following a post failed')),
    inbox: new RepliesInbox(events, logError('counting unread replies failed')),
    accounts: new AccountService(deps.config, mailQueue, store, limiter, names, now, events),
    ownComments: new OwnCommentService(deps.config, posts, store, gate, now),
    likes: new LikeService(deps.config, posts, gate, store, limiter),
    moderation,
    commenters: new CommenterService(moderation),
    warnings,
    letters,
    mailer,
    settings,
    spam,
    search: new SearchService(deps.config, limiter),
    searchIndex: new SearchIndex(logError('search indexing failed')),
  };
  wireListeners(services, logError);
  return services;
}
