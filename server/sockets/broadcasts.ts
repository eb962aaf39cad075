import type { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { Services } from '../services/index.js';
import type { ThreadFragments } from '../rendering/thread-fragments.js';
import {
  LISTING_ROOM,
  MODERATORS_ROOM,
  loadLiveThread,
  renderLiveComment,
  roomFor,
  userRoom,
} from './live-comment.js';
import { RoomBatcher } from './room-batcher.js';

/**
 * Turns domain events (emitted by services after a write succeeded) into room
 * broadcasts. With the Redis adapter, io.to(room) reaches every process.
 * Only comments readers may see are ever sent.
 */
export function wireBroadcasts(
  io: Server,
  services: Pick<Services, 'events' | 'posts' | 'comments' | 'moderation'>,
  fragments: ThreadFragments,
  logger: Logger,
): () => void {
  const batcher = new RoomBatcher(io);
  let queueTimer: NodeJS.Timeout | undefined;
  // A post's comment count for the lists that show it, at most once a second per post.
  const counts = new Map<string, { total: number; timer?: NodeJS.Timeout }>();
  const count = (postId: unknown, total: number) => {
    const id = String(postId);
    const entry = counts.get(id);
    if (entry) {
      entry.total = total;
      return;
    }
    io.to(LISTING_ROOM).emit('post:count', { postId: id, total });
    const held = { total, timer: undefined as NodeJS.Timeout | undefined };
    held.timer = setTimeout(() => {
      counts.delete(id);
      if (held.total !== total) io.to(LISTING_ROOM).emit('post:count', { postId: id, total: held.total });
    }, 1000);
    held.timer.unref();
    counts.set(id, held);
  };
  const send = (what: string, work: () => Promise<void>) => {
    work().catch((err: unknown) => logger.error({ err }, `live ${what} broadcast failed`));
  };

  const offs = [
    // New and newly shown comments arrive in open threads alike.
    ...(['comment.created', 'comment.released'] as const).map((name) =>
      services.events.on(name, ({ postId, commentId, post: known, ...rest }) =>
        send('comment', async () => {
          const current = 'thread' in rest ? rest.thread : undefined;
          const { post, thread } =
            known && current
              ? { post: known, thread: current }
              : await loadLiveThread(services, postId, known);
          const live = renderLiveComment(fragments, post, thread, String(commentId));
          if (!live || live.status !== 'visible') return;
          batcher.created(roomFor(postId), live, thread.visible.length);
          count(postId, thread.visible.length);
        }),
      ),
    ),
    ...(['comment.updated', 'comment.hidden', 'comment.deleted'] as const).map((name) =>
      services.events.on(name, ({ postId, commentId }) =>
        send('update', async () => {
          const { post, thread } = await loadLiveThread(services, postId);
          const live = renderLiveComment(fragments, post, thread, String(commentId));
          const total = thread.visible.length;
          count(postId, total);
          batcher.flush(roomFor(postId));
          if (live) io.to(roomFor(postId)).emit('comment:updated', { comment: live, total });
          else io.to(roomFor(postId)).emit('comment:hidden', { id: String(commentId), total });
        }),
      ),
    ),
    // A like: the count alone (the page has the comment), in order with the room's other news.
    services.events.on('comment.liked', ({ postId, commentId, likeCount }) => {
      const room = roomFor(postId);
      batcher.flush(room);
      io.to(room).emit('comment:likes', { id: String(commentId), likes: likeCount });
    }),
    services.events.on('post.saved', ({ postId, commentStatus, closedNote, status }) => {
      const room = roomFor(postId);
      batcher.flush(room);
      if (status && status !== 'published') {
        // Taken back to draft: its readers stop hearing about it (every process, with Redis).
        io.to(room).emit('post:status', { commentsOpen: false, unpublished: true });
        io.in(room).socketsLeave(room);
        return;
      }
      io.to(room).emit('post:status', { commentsOpen: commentStatus === 'open', note: closedNote ?? '' });
    }),
    // An account's role, password or sessions changed: its sockets reconnect as what they are now
    // (a demoted moderator's leave the moderators' room; a signed-out one's, the account's room).
    services.events.on('account.sessions', ({ userId }) => {
      io.in(userRoom(userId)).disconnectSockets(true);
    }),
    // The queues' counts, to moderators, at most once a second however busy moderation is.
    services.events.on('moderation.changed', () => {
      if (queueTimer) return;
      queueTimer = setTimeout(() => {
        queueTimer = undefined;
        services.moderation
          .counts()
          .then((counts) => io.to(MODERATORS_ROOM).emit('queue:counts', counts))
          .catch((err: unknown) => logger.error({ err }, 'counting the moderation queues failed'));
      }, 1000);
    }),
    // An account's unread replies, to its own sockets only (every process, with Redis).
    services.events.on('replies.unread', ({ userId, count }) => {
      io.to(userRoom(userId)).emit('replies:unread', { count });
    }),
  ];
  return () => {
    for (const entry of counts.values()) clearTimeout(entry.timer);
    clearTimeout(queueTimer);
    offs.forEach((off) => off());
    batcher.close();
  };
}
