import type { Request, RequestHandler, Response } from 'express';
import { ForbiddenError } from '../errors/index.js';
import { isCrossSite } from '../lib/origin.js';
import { sameToken, sign } from '../lib/signing.js';
import './types.js';

/**
 * Forgery protection for every state-changing request, in two layers:
 *  1. a browser that says the request comes from another site's page (Sec-Fetch-Site, Origin)
 *     is refused, session or not;
 *  2. every form carries a token. A session that has been issued one (signed-in readers, staff,
 *     letter writers) must send back an HMAC of its session id, which changes whenever the id
 *     does. Readers without a session (guests) get a signed token of the current hour, valid
 *     for a day: the same for every guest in that hour, so pages stay cacheable.
 * Requests to /api that carry no cookie at all are scripts, not browsers with ambient authority,
 * and need no token.
 */
export function sessionToken(secret: string, sessionId: string): string {
  return sign(secret, `csrf:${sessionId}`);
}

const HOUR = 3600000;
const GUEST_TOKEN_HOURS = 24;

/** The guest form token for the hour containing `now`: "g.<hour>.<signature>". */
export function guestToken(secret: string, now = Date.now()): string {
  const hour = Math.floor(now / HOUR);
  return `g.${hour}.${sign(secret, `guest-form:${hour}`)}`;
}

export function isGuestToken(secret: string, token: unknown, now = Date.now()): boolean {
  if (typeof token !== 'string') return false;
  const match = /^g\.(\d{1,10})\.([\w-]{43})$/.exec(token);
  if (!match) return false;
  const hour = Number(match[1]);
  const current = Math.floor(now / HOUR);
  if (hour > current + 1 || hour <= current - GUEST_TOKEN_HOURS) return false;
  return sameToken(match[2], sign(secret, `guest-form:${hour}`));
}

/** Issues (or re-issues) the token for this session and exposes it to templates. */
export function issueCsrf(req: Request, res: Response, secret: string): string {
  if (req.session) req.session.csrf = true;
  const token = sessionToken(secret, req.sessionID);
  res.locals.csrfToken = token;
  return token;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The token a request sent: the `_csrf` form field, or the X-CSRF-Token header (scripts). */
export function sentToken(req: Request): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
}

export function csrfProtection(config: { sessionSecret: string; siteUrl: string }): RequestHandler {
  const secret = config.sessionSecret;
  const siteOrigin = new URL(config.siteUrl).origin;
  return (req, res, next) => {
    // A session that speaks for someone (an account, a letter writer, held comments) needs its own
    // token, even one made before tokens were issued to every such session.
    const hasSession = Boolean(
      req.session?.csrf || req.user || req.session?.letterWriter || req.session?.held?.length,
    );
    if (hasSession && req.session && !req.session.csrf) req.session.csrf = true;
    res.locals.csrfToken = hasSession ? sessionToken(secret, req.sessionID) : guestToken(secret);
    if (!UNSAFE.has(req.method)) return next();
    if (isCrossSite(req.headers as Record<string, string>, { siteOrigin, host: req.headers.host })) {
      return next(
        new ForbiddenError(
          'This request came from another site, so it was refused. Open this site and try again there.',
          'cross_site',
        ),
      );
    }
    const given = sentToken(req);
    if (hasSession) {
      if (sameToken(given, sessionToken(secret, req.sessionID))) return next();
    } else if (isGuestToken(secret, given)) {
      return next();
    } else if (req.originalUrl.startsWith('/api/') && !req.headers.cookie) {
      return next();
    }
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
