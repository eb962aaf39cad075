import type { Request } from 'express';

/** A path parameter as text ('' when the route has none by that name): the one way params are read. */
export function pathParam(req: Request, name: string): string {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** A query parameter given once, as text; '' when absent or repeated (?a=1&a=2 is an array). */
export function queryParam(req: Request, name: string): string {
  const value = req.query[name];
  return typeof value === 'string' ? value : '';
}
