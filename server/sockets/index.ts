import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { MODERATORS_ROOM, userRoom } from './live-comment.js';
import { createAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createClusterAdapter } from '@socket.io/cluster-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { WebAuth } from '../auth/web-auth.js';
import type { Config } from '../config/index.js';
import type { Services } from '../services/index.js';
import type { ThreadFragments } from '../rendering/thread-fragments.js';
import { isCrossSite } from '../lib/origin.js';
import { wireBroadcasts } from './broadcasts.js';
import { registerHandlers } from './handlers.js';
import { canModerate } from '../lib/roles.js';

export interface LiveServer {
  io: Server;
  close(): Promise<void>;
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Session and Passport run on the handshake only, not on every polling request. */
function onlyForHandshake(middleware: unknown): Middleware {
  return (req, res, next) => {
    const isHandshake = !(req.url ?? '').match(/[?&]sid=/);
    if (isHandshake) (middleware as Middleware)(req, res, next);
    else next();
  };
}

/**
 * Attaches Socket.IO to the HTTP server: the web session (same login as the
 * page), payload limits, a same-origin check, the Redis adapter when
 * REDIS_URL is set, and the broadcasts of domain events.
 */
export async function attachSockets(
  httpServer: HttpServer,
  deps: {
    config: Config;
    logger: Logger;
    services: Pick<Services, 'events' | 'posts' | 'comments' | 'moderation'>;
    fragments: ThreadFragments;
    webAuth: WebAuth;
    /** A worker of several on one machine: broadcasts go through the primary to the others. */
    clustered?: boolean;
  },
): Promise<LiveServer> {
  const { config, logger, services, fragments, webAuth } = deps;
  // Workers share the port connection by connection, so one socket's HTTP long-polling requests
  // could reach different workers: with several workers, sockets are WebSockets only (one
  // connection, one worker), which is why no sticky-session balancer is needed.
  const websocketOnly = Boolean(deps.clustered);
  const siteOrigin = new URL(config.siteUrl).origin;
  const io = new Server(httpServer, {
    maxHttpBufferSize: 16 * 1024,
    pingInterval: 20000,
    ...(websocketOnly && { transports: ['websocket' as const] }),
    allowRequest(req, callback) {
      // Cross-site WebSocket hijacking: a browser page elsewhere may not open a socket with our cookie.
      // An Origin that does not parse ("null" from sandboxed frames) is refused, never thrown.
      const refused = isCrossSite(
        { origin: req.headers.origin, 'sec-fetch-site': undefined },
        { siteOrigin, host: req.headers.host },
      );
      callback(null, !refused);
    },
  });

  let redis: { pub: ReturnType<typeof createClient>; sub: ReturnType<typeof createClient> } | undefined;
  if (config.redisUrl) {
    // While Redis is away, broadcasts reach this process's readers only (nothing queues up);
    // the clients reconnect and resubscribe by themselves when it is back.
    const pub = createClient({ url: config.redisUrl, disableOfflineQueue: true });
    const sub = pub.duplicate();
    pub.on('error', (err) => logger.error({ err }, 'redis (publish) error'));
    sub.on('error', (err) => logger.error({ err }, 'redis (subscribe) error'));
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
    redis = { pub, sub };
    logger.info('live updates use the Redis adapter');
  } else if (deps.clustered) {
    io.adapter(createClusterAdapter());
  }

  io.engine.use(onlyForHandshake(webAuth.session));
  io.engine.use(onlyForHandshake(webAuth.passport.session()));
  io.on('connection', (socket) => {
    // A signed-in reader's sockets hear of replies to them, whatever page they are on.
    const user = (socket.request as { user?: Express.User }).user;
    if (user) void socket.join(userRoom(user.id));
    // Moderators' sockets hear the queues' counts change.
    if (canModerate(user)) void socket.join(MODERATORS_ROOM);
    registerHandlers(io, socket, { services, fragments, config, logger });
  });
  const unwire = wireBroadcasts(io, services, fragments, logger);

  return {
    io,
    async close() {
      unwire();
      // Not io.close(): that would also close the HTTP server, whose shutdown index.ts manages.
      io.disconnectSockets(true);
      io.engine.close();
      if (redis) await Promise.all([redis.pub.quit(), redis.sub.quit()]).catch(() => undefined);
    },
  };
}
