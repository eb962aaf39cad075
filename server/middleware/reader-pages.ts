import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies } from 'cookie';
import type session from 'express-session';
import { guestToken, sessionToken } from '../auth/csrf.js';
import { userOfSession } from '../auth/passport.js';
import { canModerate } from '../lib/roles.js';
import { acceptsGzip, gzipOf, storedPiece, type DeflatedPiece } from '../rendering/gzip-pieces.js';
import type { CachedPage, PageCache } from '../rendering/page-cache.js';
import { frameKey, type PostFrame } from '../rendering/post-frame.js';
import { sendGzipped, sendPieces } from '../rendering/send-pieces.js';
import type { FramedReader, ReaderChrome } from '../rendering/reader-chrome.js';
import type { Services } from '../services/index.js';
import { UNREAD_SHOWN_UP_TO } from '../services/notifications/replies-inbox.js';
import { keyOf } from './shared-pages.js';
import { RecentMap } from '../lib/recent-map.js';

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

/** At most this many cookies and sessions' tokens are remembered (the oldest go first). */
const REMEMBERED = 20000;

/** A reader's page's headers: the kept page's (security headers, type), as Node lists them, made personal. */
const readerHeaders = new WeakMap<CachedPage, Record<string, string | string[] | number>>();
function headersOf(page: CachedPage): Record<string, string | string[] | number> {
  let headers = readerHeaders.get(page);
  if (!headers) {
    // Built without `delete` (which would leave V8 a slow object to copy on every response).
    const kept = Object.entries(page.headers).filter(([name]) => name.toLowerCase() !== 'etag');
    headers = {
      ...Object.fromEntries(kept),
      'cache-control': 'private, no-cache',
      vary: 'Accept-Encoding, Cookie',
      'x-page-cache': 'reader',
    };
    readerHeaders.set(page, headers);
  }
  return headers;
}

/** Readers' whole home and tag pages, gzip, kept at most (each the size of the page on the wire). */
const WHOLE_PAGES_KEPT = 2000;

/**
 * A reader's home or tag page as one gzip body, kept per session for the kept page and header it
 * was made of: the next view of the same page, showing the same header, is one buffer written as
 * the anonymous page is (joining, checksumming and writing its pieces cost more than the rest).
 */
function wholePages() {
  const kept = new RecentMap<string, { page: CachedPage; top: DeflatedPiece; body: Buffer }>(
    WHOLE_PAGES_KEPT,
  );
  return {
    body(sid: string, page: CachedPage, top: DeflatedPiece, pieces: DeflatedPiece[]): Buffer {
      const found = kept.get(sid);
      if (found?.page === page && found.top === top) return found.body;
      return kept.set(sid, { page, top, body: Buffer.concat(gzipOf(pieces)) }).body;
    },
  };
}

/** Form tokens as stored pieces of a page: the guest token of the hour, and sessions' own. */
function formTokens(secret: string) {
  const pieces = new RecentMap<string, DeflatedPiece>(REMEMBERED);
  const tokenPiece = (token: string) => pieces.remember(token, () => storedPiece(token));
  let guest = { hour: -1, token: '' };
  return {
    tokenPiece,
    guestPiece() {
      const now = Date.now();
      const hour = Math.floor(now / 3600000);
      if (guest.hour !== hour) guest = { hour, token: guestToken(secret, now) };
      return tokenPiece(guest.token);
    },
  };
}

/** As express-session does after each request: the session's expiry moves on from now (the store decides how often it writes it). */
function touchSession(store: session.Store, sid: string, data: session.SessionData): void {
  const cookie = data.cookie;
  const expires = cookie?.originalMaxAge ? new Date(Date.now() + cookie.originalMaxAge) : cookie?.expires;
  store.touch?.(sid, { ...data, cookie: { ...cookie, expires } }, () => undefined);
}

/** The page kept for everyone with this form token in its forms. */
function sendWithToken(req: IncomingMessage, res: ServerResponse, page: CachedPage, token: DeflatedPiece) {
  const texts = page.tokenFrame();
  const pieces: DeflatedPiece[] = [texts[0]];
  for (let i = 1; i < texts.length; i += 1) pieces.push(token, texts[i]);
  sendPieces(req, res, pieces, headersOf(page));
}

/**
 * Signed-in readers' pages made before Express from a page kept for every reader (home, tag pages):
 * the kept page, compressed once and cut around the layout's reader parts (ReaderFrame), with this
 * reader's header (name, unread replies, a warning) and scripts rendered between — as Express
 * would render them, byte for byte, from the same session, account and counts (each kept a few
 * seconds per process by its own service). Post pages are their kept frames filled (post-page.ts).
 *
 * Readers with a cookie and no one signed in get the page kept for everyone, with the form token
 * Express would give them (`tokenFrame`): the guest token when the cookie names no session (forged,
 * expired, ended), their session's own when it holds nothing but that token (they opened the
 * sign-in page and went back to reading). Its comment form's one-time id is then the kept page's,
 * as for every reader without a session (thread.js gives each page its own).
 *
 * Anything this path does not make the same way goes to the app: a session holding more than an
 * account (a letter writer, held comments) or not yet issued a form token, an account that is gone
 * or signed out, a moderator (queue counts), a page not kept (or dropped, at twice its age).
 *
 * `handle` answers true when it took the request; `fallback` then runs if it could not make the page.
 */
export function readerPages(deps: ReaderPagesDeps) {
  const { cache, store, secret, services } = deps;
  /** Cookie values checked before (the same string always checks the same): the session id and its form token. */
  const cookies = new RecentMap<string, { sid: string; csrfToken: string } | null>(REMEMBERED);
  const { tokenPiece, guestPiece } = formTokens(secret);
  const wholes = wholePages();
  const touch = (sid: string, data: session.SessionData) => touchSession(store, sid, data);

  /** The reader of a plain signed-in session (an account, a form token, nothing else), or null. */
  async function readerOf(req: IncomingMessage, sid: string, csrfToken: string, data: session.SessionData) {
    const user = await userOfSession(
      services.users,
      (data as { passport?: { user?: unknown } }).passport?.user,
    );
    if (!user || canModerate(user)) return null;
    const [unread, warning] = await Promise.all([
      services.inbox.unreadCount(user.id),
      services.warnings.pending(user.id),
    ]);
    touch(sid, data);
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
    pages: { kept?: CachedPage; framed?: CachedPage },
    session: { sid: string; csrfToken: string },
  ): Promise<boolean> {
    const data = await readSession(store, session.sid);
    // No such session (expired, ended): Express starts none and renders the page for everyone.
    if (!data) {
      if (!pages.kept) return false;
      sendWithToken(req, res, pages.kept, guestPiece());
      return true;
    }
    if (data.csrf !== true || Object.keys(data).some((key) => !PLAIN_SESSION.has(key))) return false;
    // A form token and no one signed in: the page for everyone, with the session's token.
    if (!(data as { passport?: unknown }).passport) {
      if (!pages.kept) return false;
      touch(session.sid, data);
      sendWithToken(req, res, pages.kept, tokenPiece(session.csrfToken));
      return true;
    }
    const page = pages.framed;
    if (!page) return false;
    const reader = await readerOf(req, session.sid, session.csrfToken, data);
    if (!reader) return false;
    let pieces: DeflatedPiece[] | null;
    const frame = page.readerFrame();
    if (frame) {
      const { top, scripts } = deps.chrome.parts(reader);
      pieces = [frame.head, top, frame.middle, scripts, frame.tail];
      if (acceptsGzip(req)) {
        sendGzipped(req, res, wholes.body(session.sid, page, top, pieces), headersOf(page));
        return true;
      }
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
      // A page kept for everyone (past its age too, as readers without a session get it while it
      // is rebuilt, up to twice the age); for signed-in readers, one that readers share, or a post
      // page's frame.
      const kept = cache.lookup(key)?.page;
      const framed = kept?.readerFrame() ? kept : cache.get(frameKey(key));
      if (!kept && !framed) return false;
      const value = parseCookies(header)[deps.cookieName];
      if (value === undefined) return false;
      const session = cookies.remember(value, () => {
        const sid = unsign(value, secret);
        return sid ? { sid, csrfToken: sessionToken(secret, sid) } : null;
      });
      // A cookie that is not one of ours (forged, or signed with an old secret): Express ignores it.
      if (!session) {
        if (!kept) return false;
        sendWithToken(req, res, kept, guestPiece());
        return true;
      }
      answer(req, res, { kept, framed }, session).then(
        (sent) => sent || fallback(),
        () => (res.headersSent ? res.destroy() : fallback()),
      );
      return true;
    },
  };
}
