import type { Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies } from 'cookie';
import Negotiator from 'negotiator';
import type { CachedPage, Encoding, PageCache } from '../rendering/page-cache.js';
export { acceptsGzip } from '../rendering/gzip-pieces.js';

/**
 * Set by a controller on a page that is the same for every reader without a session: what the
 * page shows (tags, for invalidation) and its canonical URL, the one address it is kept under.
 */
export const SHARED_PAGE = 'sharedPage';
export interface SharedPage {
  tags: string[];
  url: string;
  /**
   * A signed-in reader (not a moderator) sees it as everyone does but for the layout's reader
   * parts (site/top, site/reader-scripts): their page is made from this one (reader-pages.ts).
   */
  readers?: boolean;
}

/** res.locals' key for the cache's ticket taken as a signed-in reader's request began. */
export const PAGE_TICKET = 'pageTicket';

const SHARED_CACHE_CONTROL = 'public, max-age=0, s-maxage=10, stale-while-revalidate=30';
/** Headers that belong to one response, never replayed from the cache. */
export const PER_RESPONSE = new Set([
  'x-request-id',
  'content-length',
  'content-encoding',
  'set-cookie',
  'date',
  'etag',
]);

/** The response's headers as a kept page sends them again: all but those of this response alone. */
export function keptHeaders(res: ServerResponse): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (!PER_RESPONSE.has(name) && value !== undefined)
      headers[name] = Array.isArray(value) ? value : String(value);
  }
  return headers;
}

/** Whether the request carries the session cookie, read by the parser express-session uses. */
export function hasSession(req: IncomingMessage, cookieName: string): boolean {
  const header = req.headers.cookie;
  return typeof header === 'string' && header !== '' && parseCookies(header)[cookieName] !== undefined;
}

/** Whether the request ended up with state of its own (a user, a session with anything in it). */
function hasOwnState(req: Request): boolean {
  if (req.user) return true;
  const session = req.session as unknown as Record<string, unknown> | undefined;
  return Boolean(session && Object.keys(session).some((key) => key !== 'cookie'));
}

/** The cache key: the path and the query (only page and order keep a page shareable). */
export function keyOf(url: string): string | null {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of params.keys()) if (name !== 'page' && name !== 'order') return null;
  return url;
}

/** Accept-Encoding → what we send, remembered per distinct header (browsers send a handful). */
const chosen = new Map<string, Encoding>();
function encodingFor(req: IncomingMessage): Encoding {
  const header = req.headers['accept-encoding'] ?? '';
  let encoding = chosen.get(header);
  if (!encoding) {
    const negotiator = new Negotiator(req);
    // Brotli when accepted at all (browsers list it after gzip, at the same weight): smaller.
    if (negotiator.encodings(['br'])[0] === 'br') encoding = 'br';
    else encoding = negotiator.encodings(['gzip'])[0] === 'gzip' ? 'gzip' : 'identity';
    if (chosen.size < 1000) chosen.set(header, encoding);
  }
  return encoding;
}

async function serve(req: IncomingMessage, res: ServerResponse, page: CachedPage, status: 'hit' | 'miss') {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === page.etag)) {
    res.writeHead(304, { ...page.headers, 'X-Page-Cache': status });
    res.end();
    return;
  }
  const encoding = encodingFor(req);
  const body = await page.bytes(encoding);
  const headers: Record<string, string | string[] | number> = {
    ...page.headers,
    'X-Page-Cache': status,
    'Content-Length': body.length,
  };
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Readers without a session cookie all get the same page: served from memory as bytes (gzip or
 * brotli as the browser accepts), with a strong ETag (a reload answers 304 without building
 * anything) and Cache-Control that lets a CDN or nginx hold it briefly. Everyone else gets their
 * own page, `private`.
 *
 * Two parts: `hit` runs on the HTTP server before Express (createRequestListener) and answers from
 * memory with the headers the page was first sent with (security headers included): Express's own
 * per-request work costs more than sending a cached page, so only this lets a cached page go out
 * nearly as fast as a bare server. `build` is a middleware after the security headers: it serves
 * what is cached too (for a caller that bypasses `hit`), and on a miss it lets the app build the
 * page and keeps it, when its controller marked it
 * shareable (res.locals[SHARED_PAGE]: what it shows, for invalidation, and its canonical URL; any
 * other spelling of the URL is built for its reader and not kept) and it is a 200 without a
 * cookie, a user or anything in a session. Concurrent misses of a page kept before wait for the
 * first build instead of building it again.
 */
export function sharedPages(cache: PageCache, options: { cookieName: string }) {
  const building = new Map<string, Promise<CachedPage | undefined>>();
  /** URLs that have been kept before: only their misses wait for one build (others are never kept). */
  const keptBefore = new Set<string>();
  const shareable = (req: IncomingMessage) =>
    (req.method === 'GET' || req.method === 'HEAD') && !hasSession(req, options.cookieName);

  /** Answers from memory when it can; false when the request must go to the app. */
  const hit = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!shareable(req)) return false;
    const key = keyOf(req.url ?? '/');
    const found = key ? cache.lookup(key) : undefined;
    // A page past its age is served while one request (this one, if none is yet) rebuilds it.
    if (!found || (found.stale && !building.has(key!))) return false;
    serve(req, res, found.page, 'hit').catch(() => res.destroy());
    return true;
  };

  const build: RequestHandler = (req: Request, res: Response, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (hasSession(req, options.cookieName)) {
      res.setHeader('Cache-Control', 'private, no-cache');
      // Where a signed-in reader's page frame starts (post-frame.ts): a change from here on refuses it.
      res.locals[PAGE_TICKET] = cache.ticket();
      return next();
    }
    const key = keyOf(req.originalUrl);
    if (!key) return next();
    const cached = cache.get(key);
    if (cached) {
      serve(req, res, cached, 'hit').catch(next);
      return;
    }
    const inFlight = keptBefore.has(key) ? building.get(key) : undefined;
    if (inFlight) {
      inFlight.then((page) => (page ? serve(req, res, page, 'hit') : next())).catch(next);
      return;
    }
    let settle: (page: CachedPage | undefined) => void = () => undefined;
    const mine = new Promise<CachedPage | undefined>((resolve) => (settle = resolve));
    building.set(key, mine);
    let settled = false;
    const done = (page?: CachedPage) => {
      if (settled) return;
      settled = true;
      if (building.get(key) === mine) building.delete(key);
      settle(page);
    };
    res.once('close', () => done());
    const ticket = cache.ticket();
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const shared = res.locals[SHARED_PAGE] as SharedPage | undefined;
      const storable =
        shared &&
        shared.url === key &&
        res.statusCode === 200 &&
        typeof body === 'string' &&
        !res.getHeader('Set-Cookie') &&
        !hasOwnState(req);
      // A page that is no longer what was kept here (gone, moved, now personal): not served again.
      if (!storable && res.statusCode !== 200) cache.delete(key);
      if (storable && shared) {
        const tags = shared.tags;
        res.setHeader('Cache-Control', SHARED_CACHE_CONTROL);
        res.setHeader('Vary', 'Accept-Encoding, Cookie');
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        const page = cache.store(key, tags, ticket, body as string, keptHeaders(res), {
          readers: shared.readers,
        });
        if (page) {
          if (keptBefore.size >= 10000) keptBefore.clear();
          keptBefore.add(key);
          done(page);
          serve(req, res, page, 'miss').catch(next);
          return res;
        }
      }
      done();
      return send(body);
    };
    next();
  };

  return { hit, build };
}
