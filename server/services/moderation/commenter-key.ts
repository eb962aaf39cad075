import { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';

/** Who a moderator is looking at: an account, a guest's email, or an address (by its hash). */
export type CommenterKey =
  | { kind: 'user'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'ip'; value: string };

/**
 * A comment's writer as moderators follow them: the account, else the guest's email, else the
 * address hash; undefined when the comment has none (imported or demo guests).
 */
export function commenterOf(
  comment: Pick<Comment, 'authorUser'> & { authorEmail?: string | null; ipHash?: string | null },
): CommenterKey | undefined {
  if (comment.authorUser) return { kind: 'user', value: String(comment.authorUser) };
  if (comment.authorEmail) return { kind: 'email', value: comment.authorEmail };
  if (comment.ipHash) return { kind: 'ip', value: comment.ipHash };
  return undefined;
}

/** The filter that reads a commenter's comments, through the index of its kind (each with _id). */
export function commenterFilter(key: CommenterKey): Record<string, unknown> {
  if (key.kind === 'user') return { authorUser: new Types.ObjectId(key.value) };
  return key.kind === 'email' ? { authorEmail: key.value } : { ipHash: key.value };
}

/** The query of a commenter's history page: `user=…`, `email=…` or `ip=…`. */
export function commenterQuery(key: CommenterKey): string {
  return `${key.kind}=${encodeURIComponent(key.value)}`;
}
