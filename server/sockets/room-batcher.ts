import type { Server } from 'socket.io';
import type { LiveComment } from './live-comment.js';

/**
 * Sends new comments to a post's room at once, unless the room had one in the last
 * `windowMs`: then they are gathered and sent together at the end of the window, as one
 * `comments:created` event. A quiet thread's replies arrive with no delay; a thread with many
 * writers costs each reader one message per window instead of one per comment. Any other event
 * for the room first flushes what is gathered, so readers see events in the order they happened.
 */
export class RoomBatcher {
  private readonly pending = new Map<
    string,
    { comments: LiveComment[]; total: number; timer: NodeJS.Timeout }
  >();
  private readonly lastSent = new Map<string, number>();

  constructor(
    private readonly io: Server,
    private readonly windowMs = 50,
  ) {}

  created(room: string, comment: LiveComment, total: number): void {
    const gathering = this.pending.get(room);
    if (gathering) {
      gathering.comments.push(comment);
      gathering.total = total;
      return;
    }
    const since = Date.now() - (this.lastSent.get(room) ?? 0);
    if (since >= this.windowMs) {
      this.emitCreated(room, [comment], total);
      return;
    }
    const timer = setTimeout(() => this.flush(room), this.windowMs - since);
    this.pending.set(room, { comments: [comment], total, timer });
  }

  /** Sends what is gathered for the room now (before another event for it). */
  flush(room: string): void {
    const gathering = this.pending.get(room);
    if (!gathering) return;
    clearTimeout(gathering.timer);
    this.pending.delete(room);
    this.emitCreated(room, gathering.comments, gathering.total);
  }

  close(): void {
    for (const room of [...this.pending.keys()]) this.flush(room);
  }

  private emitCreated(room: string, comments: LiveComment[], total: number): void {
    this.lastSent.set(room, Date.now());
    if (this.lastSent.size > 10000) this.forgetQuietRooms();
    if (comments.length === 1) this.io.to(room).emit('comment:created', { comment: comments[0], total });
    else this.io.to(room).emit('comments:created', { comments, total });
  }

  private forgetQuietRooms(): void {
    const cutoff = Date.now() - this.windowMs;
    for (const [room, at] of this.lastSent) if (at < cutoff) this.lastSent.delete(room);
  }
}
