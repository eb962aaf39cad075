import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pinoHttp from 'pino-http';
import type { Logger } from 'pino';

/**
 * Addresses whose last part is a secret mailed to one person: a password reset, an email
 * confirmation, an unsubscribe or reply-mail link, a letter writer's link. Whoever reads the log
 * must not be able to use them (test/integration/ops/request-log.test.ts checks every route with a
 * `:token`). Headers (cookies, tokens) are redacted by the logger itself (server/logger.ts).
 */
const SECRET_IN_PATH = [
  /^(\/reset\/)[^/?#]+/i,
  /^(\/account\/email\/)(?!resend(?:[/?#]|$))[^/?#]+/i,
  /^(\/unsubscribe\/)[^/?#]+/i,
  /^(\/notify\/confirm\/)[^/?#]+/i,
  /^(\/posts\/[^/?#]+\/letter-writer\/)[^/?#]+/i,
];

/** Whether an address (a path) carries a secret mailed to one person. */
export function carriesSecret(url: string): boolean {
  return SECRET_IN_PATH.some((pattern) => pattern.test(url));
}

/**
 * The address as the log may keep it: a secret in its path replaced by "[redacted]", and so is a
 * whole address passed in its query (`?next=` after signing in, `?back=`), when that one has one.
 */
export function loggableUrl(url: string): string {
  let clean = url;
  for (const pattern of SECRET_IN_PATH) clean = clean.replace(pattern, '$1[redacted]');
  const query = clean.indexOf('?');
  if (query < 0) return clean;
  const params = new URLSearchParams(clean.slice(query + 1));
  let changed = false;
  for (const [name, value] of params) {
    if (value.startsWith('/') && carriesSecret(value)) {
      params.set(name, loggableUrl(value));
      changed = true;
    }
  }
  return changed ? `${clean.slice(0, query)}?${params}` : clean;
}

/** A Referer as the log may keep it: a page of ours with a secret in its path is redacted too. */
function loggableReferer(referer: string): string {
  try {
    const url = new URL(referer);
    return `${url.origin}${loggableUrl(`${url.pathname}${url.search}`)}`;
  } catch {
    return '[unreadable]';
  }
}

interface LoggedRequest {
  url: string;
  params?: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

/** Gives each request an id (from X-Request-Id when sane) and a child logger, req.log. */
export function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId(req: IncomingMessage, res) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      // A redirect to an address with a secret (an old post address's letter-writer link, back
      // after signing in) says it in Location.
      res(res: { headers?: Record<string, unknown> }) {
        const location = res.headers?.location;
        if (typeof location === 'string' && location !== loggableUrl(location))
          res.headers = { ...res.headers, location: loggableUrl(location) };
        return res;
      },
      req(req: LoggedRequest) {
        req.url = loggableUrl(req.url);
        if (req.params?.token) req.params = { ...req.params, token: '[redacted]' };
        // The page a reset link opened sends its address as the Referer of its form and files.
        const referer = req.headers.referer;
        if (typeof referer === 'string') req.headers = { ...req.headers, referer: loggableReferer(referer) };
        return req;
      },
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    customLogLevel(_req, res, err) {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
  });
}
