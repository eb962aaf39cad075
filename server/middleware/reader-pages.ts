import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies } from 'cookie';
import type session from 'express-session';
import { sessionToken } from '../auth/csrf.js';
import { userOfSession } from '../auth/passport.js';
import { canModerate } from '../lib/roles.js';
import { deflatePiece, gzipOf, storedPiece, type DeflatedPiece } from '../rendering/gzip-pieces.js';
import type { Renderer } from '../rendering/engine.js';
import type { CachedPage, PageCache } from '../rendering/page-cache.js';
import type { ReaderFrame } from '../rendering/reader-frame.js';
import type { Services } from '../services/index.js';
import { UNREAD_SHOWN_UP_TO } from '../services/notifications/replies-inbox.js';
import { acceptsGzip, keyOf } from './shared-pages.js';

export interface ReaderPagesDeps {
  cache: PageCache;
  store: session.Store;
  cookieName: string;
  secret: string;
  renderer: Renderer;
  /** The app's `site` locals (title, description, URL), read per page. */
  site: object;
  services: Pick<Services, 'users' | 'inbox' | 'warnings'>;
}

/** What a session must hold, and all it may hold, for its page to be made here. */
const PLAIN_SESSION = new Set(['cookie', 'passport', 'csrf']);

/** The session id in a signed cookie value ("s:<id>.<HMAC>", as express-session signs it), or null. */
function unsign(value: string | undefined, secret: string): string | null {
  if (!value?.startsWith('s:')) return null;
  const dot = value.lastIndexOf('.');
  if (dot < 3) return null;
  const id = value.slice(2, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, ''));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}

function readSession(store: session.Store, sid: string): Promise<session.SessionData | null | undefined> {
  return new Promise((resolve, reject) => store.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
}

/** At most this many cookies, headers and sessions' tokens are remembered (the oldest go first). */
const REMEMBERED = 20000;

/** A bounded memo: `make` once per key, the oldest key dropped past REMEMBERED. */
function memo<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
    if (map.size > REMEMBERED) map.delete(map.keys().next().value as string);
  }
  return value;
}

/**
 * Signed-in readers' pages made before Express from a page kept for every reader (home, tag pages):
 * the kept page, compressed once and cut around the layout's reader parts (ReaderFrame), with this
 * reader's header (name, unread replies, a warning) and scripts rendered between — as Express
 * would render them, byte for byte, from the same session, account and counts (each kept a few
 * seconds per process by its own service). Anything this path does not make the same way goes to
 * the app: a session holding more than an account (a letter writer, held comments) or not yet
 * issued a form token, an account that is gone or signed out, a moderator (queue counts), a page
 * not kept (or dropped, at twice its age) or not marked for readers.
 *
 * `handle` answers true when it took the request; `fallback` then runs if it could not make the page.
 */
export function readerPages(deps: ReaderPagesDeps) {
  const { cache, store, renderer, secret, services } = deps;
  /** Cookie values checked before (the same string always checks the same): the session id and its form token. */
  const cookies = new Map<string, { sid: string; csrfToken: string } | null>();
  /**
   * A reader's header as rendered, by everything it shows (Handlebars' per-render setup is most
   * of its cost): the same across the pages a reader reads until a count, a name or a warning changes.
   */
  const tops = new Map<string, { text: string; piece: DeflatedPiece }>();
  /** The scripts for signed-in readers, the same for all, compressed once (per template output). */
  let scripts: { text: string; piece: DeflatedPiece } | undefined;

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    frame: ReaderFrame,
    page: CachedPage,
    { sid, csrfToken }: { sid: string; csrfToken: string },
  ) {
    const data = await readSession(store, sid);
    if (!data || data.csrf !== true || Object.keys(data).some((key) => !PLAIN_SESSION.has(key))) return false;
    const user = await userOfSession(
      services.users,
      (data as { passport?: { user?: unknown } }).passport?.user,
    );
    if (!user || canModerate(user)) return false;
    const [unread, warning] = await Promise.all([
      services.inbox.unreadCount(user.id),
      services.warnings.pending(user.id),
    ]);
    const locals = {
      site: deps.site,
      currentUser: user,
      csrfToken,
      warning,
      currentPath: req.url,
      unreadReplies: unread >= UNREAD_SHOWN_UP_TO ? `${UNREAD_SHOWN_UP_TO - 1}+` : unread,
    };
    // The page's address shows only in a warning's form (where it comes back to).
    const shown = [JSON.stringify(deps.site), sid, user, locals.unreadReplies, warning && [warning, req.url]];
    const top = memo(tops, JSON.stringify(shown), () => {
      const text = renderer.renderPartial('site/top', locals);
      return { text, piece: storedPiece(text) };
    });
    if (!scripts) {
      const text = renderer.renderPartial('site/reader-scripts', locals);
      scripts = { text, piece: deflatePiece(text) };
    }
    // As express-session does after each request: the session's expiry moves on (the store decides how often).
    store.touch?.(sid, data, () => undefined);

    // The kept page's headers (security headers, type) as Node lists them, lower case.
    const headers: Record<string, string | string[] | number> = {
      ...page.headers,
      'cache-control': 'private, no-cache',
      vary: 'Accept-Encoding, Cookie',
      'x-page-cache': 'reader',
    };
    delete headers.ETag;
    let body: Buffer;
    if (acceptsGzip(req)) {
      const pieces = [frame.head, top.piece, frame.middle, scripts.piece, frame.tail];
      body = Buffer.concat(gzipOf(pieces));
      headers['content-encoding'] = 'gzip';
    } else {
      body = Buffer.concat([
        frame.head.bytes,
        top.piece.bytes,
        frame.middle.bytes,
        scripts.piece.bytes,
        frame.tail.bytes,
      ]);
    }
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  return {
    handle(req: IncomingMessage, res: ServerResponse, fallback: () => void): boolean {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const header = req.headers.cookie;
      if (!header) return false;
      const key = keyOf(req.url ?? '/');
      const found = key ? cache.lookup(key) : undefined;
      // A page past its age too, as readers without a session get it while it is rebuilt (up to twice the age).
      const frame = found?.page.readerFrame();
      if (!frame) return false;
      const value = parseCookies(header)[deps.cookieName];
      const session = value
        ? memo(cookies, value, () => {
            const sid = unsign(value, secret);
            return sid ? { sid, csrfToken: sessionToken(secret, sid) } : null;
          })
        : null;
      if (!session) return false;
      answer(req, res, frame, found!.page, session).then(
        (sent) => sent || fallback(),
        () => (res.headersSent ? res.destroy() : fallback()),
      );
      return true;
    },
  };
}
