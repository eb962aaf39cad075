import type { Request, RequestHandler } from 'express';
import type { Viewer } from '../services/comments/thread.js';
import type { Role } from '../../models/user.js';
import { ForbiddenError, UnauthorizedError } from '../errors/index.js';
import { wantsJson } from '../middleware/wants-json.js';
import './types.js';
import { canModerate, hasRole } from '../lib/roles.js';

export { hasRole };

/** Who is reading, for what the thread shows them: their held comments, or all of them for moderators. */
export function viewerOf(req: Request): Viewer {
  return { userId: req.user?.id, heldIds: req.session?.held, moderator: canModerate(req.user) };
}

/** The letter-writer name this browser may comment under on this post (from its private link), if any. */
export function letterWriterOn(req: Request, postId: unknown): string | undefined {
  return req.session?.letterWriter?.[String(postId)];
}

/**
 * Who is writing a comment on this post: the session's user, the address, any letter-writer
 * link, and the form's token (a resubmitted form is recognised by it).
 */
export function commentAuthor(req: Request, postId: unknown) {
  const nonce = (req.body as Record<string, unknown> | undefined)?._submission;
  return {
    user: req.user,
    ip: req.ip,
    letterWriter: letterWriterOn(req, postId),
    // The form's one-time id (each page render makes a new one): a resubmission sends it again.
    submission: typeof nonce === 'string' && /^[\w-]{16,64}$/.test(nonce) ? nonce : undefined,
  };
}

/** Signed-in users only: browsers are sent to the login page, API clients get 401. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET' && !wantsJson(req)) {
    return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
  }
  next(new UnauthorizedError());
};

/** Signed-in users with one of these roles (or admin); everyone else 403. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return requireUser(req, res, next);
    if (hasRole(req.user, ...roles)) return next();
    next(new ForbiddenError(`This page is for ${roles.join(' or ')} accounts.`));
  };
}
