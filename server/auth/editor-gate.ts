import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ForbiddenError, NotFoundError } from '../errors/index.js';
import { readCookies } from './cookies.js';

/**
 * Until accounts exist, the post editor is unlocked by a configured secret
 * (EDITOR_SECRET). Signing in sets an HttpOnly, SameSite=Strict cookie holding
 * an HMAC of the secret, so the secret itself never sits in the browser and a
 * cross-site form cannot ride on it.
 */
export const EDITOR_COOKIE = 'editor_auth';

function token(secret: string): string {
  return createHmac('sha256', secret).update('advice-column editor v1').digest('hex');
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function isEditor(req: Request, secret: string): boolean {
  if (!secret) return false;
  const value = readCookies(req.headers.cookie)[EDITOR_COOKIE];
  return typeof value === 'string' && same(value, token(secret));
}

export function checkEditorSecret(given: string, secret: string): boolean {
  return secret !== '' && same(token(given), token(secret));
}

export function setEditorCookie(res: Response, secret: string, secure: boolean): void {
  res.cookie(EDITOR_COOKIE, token(secret), {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: 7 * 24 * 3600 * 1000,
  });
}

export function clearEditorCookie(res: Response): void {
  res.clearCookie(EDITOR_COOKIE, { path: '/' });
}

/** Editor pages: 404 while no secret is configured, 403 without the cookie. */
export function requireEditor(secret: string): RequestHandler {
  return (req, res, next) => {
    if (!secret) return next(new NotFoundError());
    if (isEditor(req, secret)) return next();
    if (req.method === 'GET')
      return res.redirect(303, `/editor/login?next=${encodeURIComponent(req.originalUrl)}`);
    return next(new ForbiddenError('Sign in to the editor first.'));
  };
}
