import type { Request, RequestHandler, Response } from 'express';
import type { CachedPage, Encoding, PageCache } from '../rendering/page-cache.js';

/** Set by a controller on a page that is the same for every reader without a session. */
export const PAGE_TAGS = 'sharedPageTags';

const SHARED_CACHE_CONTROL = 'public, max-age=0, s-maxage=10, stale-while-revalidate=30';

function hasSession(req: Request, cookieName: string): boolean {
  const cookie = req.headers.cookie;
  return typeof cookie === 'string' && cookie.includes(`${cookieName}=`);
}

/** The cache key: the path and the query (only page and order keep a page shareable). */
function keyOf(req: Request): string | null {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of params.keys()) if (name !== 'page' && name !== 'order') return null;
  return url;
}

function encodingFor(req: Request): Encoding {
  // Brotli when accepted at all (browsers list it after gzip, at the same weight): smaller.
  if (req.acceptsEncodings('br') === 'br') return 'br';
  return req.acceptsEncodings('gzip') === 'gzip' ? 'gzip' : 'identity';
}

async function serve(req: Request, res: Response, page: CachedPage, status: 'hit' | 'miss'): Promise<void> {
  res.setHeader('Cache-Control', SHARED_CACHE_CONTROL);
  res.setHeader('Vary', 'Accept-Encoding, Cookie');
  res.setHeader('ETag', page.etag);
  res.setHeader('X-Page-Cache', status);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === page.etag)) {
    res.status(304).end();
    return;
  }
  const encoding = encodingFor(req);
  const body = await page.bytes(encoding);
  res.status(200);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', body.length);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Readers without a session cookie all get the same page: served from memory as bytes (gzip or
 * brotli as the browser accepts), with a strong ETag (a reload answers 304 without building
 * anything) and Cache-Control that lets a CDN or nginx hold it briefly. A page enters the cache
 * when its controller marks it shareable (res.locals[PAGE_TAGS]: what it shows, for invalidation)
 * and it is sent with status 200 and no cookie. Everyone else gets their own page, `private`.
 */
export function sharedPages(cache: PageCache, options: { cookieName: string }): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (hasSession(req, options.cookieName)) {
      res.setHeader('Cache-Control', 'private, no-cache');
      return next();
    }
    const key = keyOf(req);
    const cached = key ? cache.get(key) : undefined;
    if (cached) {
      serve(req, res, cached, 'hit').catch(next);
      return;
    }
    if (!key) return next();
    const ticket = cache.ticket();
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const tags = res.locals[PAGE_TAGS] as string[] | undefined;
      if (tags && res.statusCode === 200 && typeof body === 'string' && !res.getHeader('Set-Cookie')) {
        const page = cache.store(key, tags, ticket, body);
        if (page) {
          serve(req, res, page, 'miss').catch(next);
          return res;
        }
      }
      return send(body);
    };
    next();
  };
}
