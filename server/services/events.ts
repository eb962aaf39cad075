import { EventEmitter } from 'node:events';
import type { Types } from 'mongoose';

/** Domain events, emitted by services after a write has succeeded. */
export interface DomainEventMap {
  'comment.created': { postId: Types.ObjectId; commentId: Types.ObjectId };
  'comment.updated': { postId: Types.ObjectId; commentId: Types.ObjectId };
  'comment.deleted': { postId: Types.ObjectId; commentId: Types.ObjectId };
  'post.saved': { postId: Types.ObjectId; slug: string; commentStatus: 'open' | 'closed' };
}

export class DomainEvents {
  private readonly emitter = new EventEmitter();

  emit<K extends keyof DomainEventMap>(name: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(name, payload);
  }

  on<K extends keyof DomainEventMap>(name: K, listener: (payload: DomainEventMap[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
