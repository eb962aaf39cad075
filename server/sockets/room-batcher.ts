import type { Server } from 'socket.io';
import type { LiveComment } from './live-comment.js';

/**
 * Sends a room's new comments together when they are written together. Comments are gathered
 * until the current turn of the event loop ends (setImmediate), then sent: one alone as
 * `comment:created`, several as one `comments:created`. A thread's writes are stored in batches
 * (many writers at once land in one batch), so a busy thread costs each reader one message per
 * batch instead of one per comment, and a lone reply waits for nothing. Any other event for the
 * room first flushes what is gathered, so readers see events in the order they happened.
 */
export class RoomBatcher {
  private readonly pending = new Map<string, { comments: LiveComment[]; total: number }>();
  private scheduled: NodeJS.Immediate | undefined;

  constructor(private readonly io: Server) {}

  created(room: string, comment: LiveComment, total: number): void {
    const gathering = this.pending.get(room);
    if (gathering) {
      gathering.comments.push(comment);
      gathering.total = total;
    } else {
      this.pending.set(room, { comments: [comment], total });
    }
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      for (const key of [...this.pending.keys()]) this.flush(key);
    });
  }

  /** Sends what is gathered for the room now (before another event for it). */
  flush(room: string): void {
    const gathering = this.pending.get(room);
    if (!gathering) return;
    this.pending.delete(room);
    const { comments, total } = gathering;
    if (comments.length === 1) this.io.to(room).emit('comment:created', { comment: comments[0], total });
    else this.io.to(room).emit('comments:created', { comments, total });
  }

  close(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    for (const room of [...this.pending.keys()]) this.flush(room);
  }
}
