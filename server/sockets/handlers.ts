import type { Server, Socket } from 'socket.io';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { AppError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import type { ThreadFragments } from '../rendering/thread-fragments.js';
import { isObjectIdString } from '../lib/validation.js';
import { RateLimiter } from '../lib/rate-limiter.js';
import {
  LISTING_ROOM,
  loadLiveThread,
  renderLiveComment,
  roomFor,
  type LiveComment,
} from './live-comment.js';

type Ack = (
  reply: { ok: true; [key: string]: unknown } | { ok: false; error: { code: string; message: string } },
) => void;

const MAX_CATCH_UP = 500;

/** Per-socket handlers: join a post's room (with catch-up), typing notices, presence. */
export function registerHandlers(
  io: Server,
  socket: Socket,
  deps: {
    services: Pick<Services, 'posts' | 'comments' | 'events'>;
    fragments: ThreadFragments;
    config: Config;
    logger: Logger;
  },
) {
  const { services, fragments, config, logger } = deps;
  const events = new RateLimiter(config.socketEventsPer10s, 10000);
  const typing = new RateLimiter(1, 2000);
  let room: string | undefined;

  function allowed(ack?: Ack): boolean {
    if (!events.isLimited(socket.id)) {
      events.hit(socket.id);
      return true;
    }
    ack?.({ ok: false, error: { code: 'too_many_requests', message: 'Slow down: too many live events.' } });
    return false;
  }

  socket.on('thread:join', async (payload: unknown, ack?: Ack) => {
    if (typeof ack !== 'function' || !allowed(ack)) return;
    const { postId, lastSeen } = (payload ?? {}) as { postId?: unknown; lastSeen?: unknown };
    if (typeof postId !== 'string' || !isObjectIdString(postId)) {
      return ack({ ok: false, error: { code: 'validation_failed', message: 'Unknown post.' } });
    }
    try {
      const { post, thread } = await loadLiveThread(services, postId);
      if (post.status !== 'published') throw new AppError(404, 'not_found', 'Unknown post.');
      if (room) await leave(room);
      room = roomFor(postId);
      await socket.join(room);
      const since =
        typeof lastSeen === 'number' && Number.isInteger(lastSeen) && lastSeen >= 0 ? lastSeen : null;
      const missed: LiveComment[] = [];
      if (since !== null) {
        for (const comment of thread.comments) {
          if (comment.number <= since || comment.status !== 'visible') continue;
          const live = renderLiveComment(fragments, post, thread, String(comment._id));
          if (live) missed.push(live);
          if (missed.length >= MAX_CATCH_UP) break;
        }
      }
      ack({ ok: true, missed, total: thread.visible.length, commentsOpen: post.commentStatus === 'open' });
      schedulePresence(room);
    } catch (err) {
      const known = err instanceof AppError;
      if (!known) logger.error({ err }, 'thread:join failed');
      ack({
        ok: false,
        error: known
          ? { code: err.code, message: err.message }
          : { code: 'internal_error', message: 'Could not join.' },
      });
    }
  });

  // The lists of posts (home page) hear of comment counts.
  socket.on('listing:join', async (_payload: unknown, ack?: Ack) => {
    if (!allowed(typeof ack === 'function' ? ack : undefined)) return;
    await socket.join(LISTING_ROOM);
    if (typeof ack === 'function') ack({ ok: true });
  });

  // "Someone is replying…": anonymous, at most once per 2 s per socket, never echoed to the sender.
  socket.on('typing', (payload: unknown) => {
    if (!room || !allowed() || typing.isLimited(socket.id)) return;
    typing.hit(socket.id);
    const { parentId } = (payload ?? {}) as { parentId?: unknown };
    const target = typeof parentId === 'string' && isObjectIdString(parentId) ? parentId : null;
    socket.to(room).emit('typing', { parentId: target });
  });

  socket.on('disconnect', () => {
    if (room) schedulePresence(room);
  });

  async function leave(name: string) {
    await socket.leave(name);
    schedulePresence(name);
  }

  function schedulePresence(name: string) {
    presence(io, name, logger);
  }
}

const pending = new Map<string, NodeJS.Timeout>();

/** Readers in a room (across processes), sent at most twice a second per room. */
function presence(io: Server, room: string, logger: Logger) {
  if (pending.has(room)) return;
  const timer = setTimeout(() => {
    pending.delete(room);
    io.in(room)
      .fetchSockets()
      .then((sockets) => io.to(room).emit('presence', { readers: sockets.length }))
      .catch((err: unknown) => logger.warn({ err }, 'presence count failed'));
  }, 500);
  timer.unref();
  pending.set(room, timer);
}
