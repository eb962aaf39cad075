import type { Request, RequestHandler, Response } from 'express';
import { ForbiddenError } from '../errors/index.js';
import { sameToken, sign } from '../services/signing.js';
import './types.js';

/**
 * CSRF protection for everything that relies on the session cookie: the token
 * is an HMAC of the session id, so it changes whenever the session id does
 * (at login and logout) and needs no storage. A session that has been issued
 * a token must send it back, as the `_csrf` form field or the X-CSRF-Token
 * header, on every state-changing request. Requests without a session carry no
 * ambient authority (guest comments), so there is nothing to forge.
 */
function tokenFor(secret: string, sessionId: string): string {
  return sign(secret, `csrf:${sessionId}`);
}

/** Issues (or re-issues) the token for this session and exposes it to templates. */
export function issueCsrf(req: Request, res: Response, secret: string): string {
  if (req.session) req.session.csrf = true;
  const token = tokenFor(secret, req.sessionID);
  res.locals.csrfToken = token;
  return token;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function csrfProtection(secret: string): RequestHandler {
  return (req, res, next) => {
    if (req.session?.csrf) res.locals.csrfToken = tokenFor(secret, req.sessionID);
    if (!UNSAFE.has(req.method) || !req.session?.csrf) return next();
    const body = req.body as Record<string, unknown> | undefined;
    const given = typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
    if (sameToken(given, tokenFor(secret, req.sessionID))) return next();
    next(
      new ForbiddenError(
        'This form has expired or did not come from this site. Reload the page and try again.',
        'csrf_failed',
      ),
    );
  };
}

/** For login and registration: the form must have come from our page, which starts the session. */
export const requireCsrfSession: RequestHandler = (req, _res, next) => {
  if (req.session?.csrf) return next();
  next(new ForbiddenError('Your session has expired. Reload the page and try again.', 'csrf_failed'));
};
