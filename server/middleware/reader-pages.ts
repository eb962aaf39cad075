import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies } from 'cookie';
import type session from 'express-session';
import { sessionToken } from '../auth/csrf.js';
import { userOfSession } from '../auth/passport.js';
import { canModerate } from '../lib/roles.js';
import type { DeflatedPiece } from '../rendering/gzip-pieces.js';
import type { CachedPage, PageCache } from '../rendering/page-cache.js';
import { frameKey, sendPieces, type PostFrame } from '../rendering/post-frame.js';
import type { FramedReader, ReaderChrome } from '../rendering/reader-chrome.js';
import type { Services } from '../services/index.js';
import { UNREAD_SHOWN_UP_TO } from '../services/notifications/replies-inbox.js';
import { keyOf } from './shared-pages.js';

export interface ReaderPagesDeps {
  cache: PageCache;
  store: session.Store;
  cookieName: string;
  secret: string;
  chrome: ReaderChrome;
  services: Pick<Services, 'users' | 'inbox' | 'warnings'>;
  /** A post page from its frame for this reader (post-page.ts), or null when the app must render it. */
  postPage: (frame: PostFrame, reader: FramedReader) => Promise<DeflatedPiece[] | null>;
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

/** A reader's page's headers: the kept page's (security headers, type), as Node lists them, made personal. */
const readerHeaders = new WeakMap<CachedPage, Record<string, string | string[] | number>>();
function headersOf(page: CachedPage): Record<string, string | string[] | number> {
  let headers = readerHeaders.get(page);
  if (!headers) {
    headers = {
      ...page.headers,
      'cache-control': 'private, no-cache',
      vary: 'Accept-Encoding, Cookie',
      'x-page-cache': 'reader',
    };
    delete headers.ETag;
    readerHeaders.set(page, headers);
  }
  return headers;
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
  const { cache, store, secret, services } = deps;
  /** Cookie values checked before (the same string always checks the same): the session id and its form token. */
  const cookies = new Map<string, { sid: string; csrfToken: string } | null>();

  /** The reader of a plain signed-in session (an account, a form token, nothing else), or null. */
  async function readerOf(req: IncomingMessage, sid: string, csrfToken: string) {
    const data = await readSession(store, sid);
    if (!data || data.csrf !== true || Object.keys(data).some((key) => !PLAIN_SESSION.has(key))) return null;
    const user = await userOfSession(
      services.users,
      (data as { passport?: { user?: unknown } }).passport?.user,
    );
    if (!user || canModerate(user)) return null;
    const [unread, warning] = await Promise.all([
      services.inbox.unreadCount(user.id),
      services.warnings.pending(user.id),
    ]);
    // As express-session does after each request: the session's expiry moves on from now (the
    // store decides how often it writes it).
    const cookie = data.cookie;
    const expires = cookie?.originalMaxAge ? new Date(Date.now() + cookie.originalMaxAge) : cookie?.expires;
    store.touch?.(sid, { ...data, cookie: { ...cookie, expires } }, () => undefined);
    const reader: FramedReader = {
      sid,
      user,
      csrfToken,
      warning,
      url: req.url ?? '/',
      unreadReplies: unread >= UNREAD_SHOWN_UP_TO ? `${UNREAD_SHOWN_UP_TO - 1}+` : unread,
    };
    return reader;
  }

  async function answer(
    req: IncomingMessage,
    res: ServerResponse,
    page: CachedPage,
    session: { sid: string; csrfToken: string },
  ): Promise<boolean> {
    const reader = await readerOf(req, session.sid, session.csrfToken);
    if (!reader) return false;
    let pieces: DeflatedPiece[] | null;
    const frame = page.readerFrame();
    if (frame) {
      const { top, scripts } = deps.chrome.parts(reader);
      pieces = [frame.head, top, frame.middle, scripts, frame.tail];
    } else {
      pieces = await deps.postPage(page.extra as PostFrame, reader);
    }
    if (!pieces) return false;
    sendPieces(req, res, pieces, headersOf(page));
    return true;
  }

  return {
    handle(req: IncomingMessage, res: ServerResponse, fallback: () => void): boolean {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const header = req.headers.cookie;
      if (!header) return false;
      const key = keyOf(req.url ?? '/');
      if (!key) return false;
      // A page kept for everyone that readers share (past its age too, as readers without a session
      // get it while it is rebuilt, up to twice the age), or a post page's frame for signed-in readers.
      const kept = cache.lookup(key)?.page;
      const page = kept?.readerFrame() ? kept : cache.get(frameKey(key));
      if (!page) return false;
      const value = parseCookies(header)[deps.cookieName];
      const session = value
        ? memo(cookies, value, () => {
            const sid = unsign(value, secret);
            return sid ? { sid, csrfToken: sessionToken(secret, sid) } : null;
          })
        : null;
      if (!session) return false;
      answer(req, res, page, session).then(
        (sent) => sent || fallback(),
        () => (res.headersSent ? res.destroy() : fallback()),
      );
      return true;
    },
  };
}
