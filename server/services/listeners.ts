import type { ReservedNames } from './accounts/reserved-names.js';
import type { CommentService } from './comments/comment-service.js';
import type { DomainEvents } from './events.js';
import type { LetterService } from './letters/letter-service.js';
import type { SpamService } from './moderation/spam-service.js';
import type { FollowService } from './notifications/follows.js';
import type { RepliesInbox } from './notifications/replies-inbox.js';
import type { ReplyNotifier } from './notifications/reply-notifier.js';
import type { PostService } from './posts/post-service.js';
import type { SearchIndex } from './search/search-index.js';
import type { UserService } from './accounts/user-service.js';

/** The services that listen, and the events they hear. */
export interface Listening {
  events: DomainEvents;
  searchIndex: Pick<SearchIndex, 'queue'>;
  inbox: Pick<RepliesInbox, 'onShown'>;
  replies: Pick<ReplyNotifier, 'onShown'>;
  follows: Pick<FollowService, 'onShown'>;
  spam: Pick<SpamService, 'onModerated'>;
  posts: Pick<PostService, 'onPostChanged'>;
  names: Pick<ReservedNames, 'add'>;
  letters: Pick<LetterService, 'onPublished'>;
  comments: Pick<CommentService, 'onSettingsChanged'>;
  users: Pick<UserService, 'forget'>;
}

/**
 * Who hears what: every domain event's listeners among the services, registered here and nowhere
 * else (no service subscribes in its constructor). Pages and sockets have their own, in
 * rendering/page-invalidation.ts and sockets/broadcasts.ts. What each event means is in events.ts.
 *
 * | event               | listeners                                                                |
 * | ------------------- | ------------------------------------------------------------------------ |
 * | comment.created     | search index, replies inbox, reply mail, follows                          |
 * | comment.released    | search index, replies inbox, reply mail, follows (news, as if new)        |
 * | comment.updated     | search index                                                              |
 * | comment.hidden      | search index                                                              |
 * | comment.deleted     | search index                                                              |
 * | comment.moderated   | spam classifier (a lesson)                                                |
 * | post.saved          | search index, post cache for commenting, reserved names (its byline)      |
 * | post.published      | search index, post cache for commenting, the letter's writer is told      |
 * | settings.changed    | thread cache (nesting depth)                                              |
 * | account.sessions    | accounts as sessions see them (forgotten, read again)                     |
 */
export function wireListeners(services: Listening, logError: (what: string) => (err: unknown) => void): void {
  const { events, searchIndex, inbox, replies, follows, spam, posts, names, letters, comments } = services;

  for (const name of ['comment.created', 'comment.released'] as const) {
    events.on(name, (event) => {
      searchIndex.queue(event.commentId, 'c');
      inbox.onShown(event);
      replies.onShown(event);
      follows.onShown(event);
    });
  }
  for (const name of ['comment.updated', 'comment.hidden', 'comment.deleted'] as const) {
    events.on(name, ({ commentId }) => searchIndex.queue(commentId, 'c'));
  }
  events.on('comment.moderated', (event) => spam.onModerated(event));

  events.on('post.saved', (event) => {
    searchIndex.queue(event.postId, 'p');
    posts.onPostChanged(event);
    if (event.authorNameKey) names.add(event.authorNameKey);
  });
  events.on('post.published', (event) => {
    searchIndex.queue(event.postId, 'p');
    posts.onPostChanged(event);
    if (event.letterId)
      letters.onPublished(event.postId, event.letterId).catch(logError('letter-writer notification failed'));
  });

  events.on('settings.changed', (event) => comments.onSettingsChanged(event));
  // What an account's sessions are (its role, name, session version) changed: read it again.
  events.on('account.sessions', ({ userId }) => services.users.forget(userId));
}
