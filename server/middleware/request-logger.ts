import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pinoHttp from 'pino-http';
import type { Logger } from 'pino';
import { loggableUrl } from '../lib/secret-path.js';

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
