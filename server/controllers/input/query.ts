import { ValidationError } from '../../errors/index.js';
import type { ThreadOrder } from '../../services/comments/thread.js';

/** Reads ?page=N (1-based); anything but a positive whole number is a 400. */
export function parsePage(raw: unknown): number {
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw) || Number(raw) < 1) {
    throw new ValidationError('The page number must be a positive whole number.', {
      page: 'Not a page number.',
    });
  }
  return Number(raw);
}

/** Reads ?order= for a thread: "newest" or "top" (most liked), else the default, oldest first. */
export function parseOrder(raw: unknown): ThreadOrder {
  return raw === 'newest' || raw === 'top' ? raw : 'oldest';
}
