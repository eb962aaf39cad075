import type { Request } from 'express';

/** API routes and clients that ask for JSON get JSON errors; browsers get pages. */
export function wantsJson(req: Request): boolean {
  if (req.originalUrl.startsWith('/api/') || req.originalUrl === '/api') return true;
  return req.accepts(['html', 'json']) === 'json';
}
