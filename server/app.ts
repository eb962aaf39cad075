import express, { type Express, type RequestHandler } from 'express';
import type { IncomingMessage, RequestListener, ServerOptions, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { csrfProtection } from './auth/csrf.js';
import { shedLoad } from './middleware/shed-load.js';
import { createWebAuth, SESSION_COOKIE, type WebAuth } from './auth/web-auth.js';
import type { Config } from './config/index.js';
import type { DatabaseHealth } from './db/connection.js';
import { errorHandler } from './middleware/error-handler.js';
import { notFound } from './middleware/not-found.js';
import { requestLogger } from './middleware/request-logger.js';
import { carriesSecret } from './lib/secret-path.js';
import { memoryServed } from './middleware/memory-served.js';
import { setDisplayZone } from './lib/display-zone.js';
import { requireDatabase } from './middleware/require-database.js';
import { PUBLIC_DIR, VIEWS_DIR } from './paths.js';
import { assetUrl, HASHED_ASSET } from './rendering/assets.js';
import { createRenderer, type Renderer } from './rendering/engine.js';
import { ThreadFragments } from './rendering/thread-fragments.js';
import { PageCache } from './rendering/page-cache.js';
import { invalidateOnEvents } from './rendering/page-invalidation.js';
import { hasSession, sharedPages } from './middleware/shared-pages.js';
import { readerPages } from './middleware/reader-pages.js';
import { ReaderChrome, type FramedReader } from './rendering/reader-chrome.js';
import type { PostFrame } from './rendering/post-frame.js';
import { framedPostPage } from './controllers/post-page.js';
import compression from 'compression';
import { accountRouter } from './routes/account.js';
import { adminRouter } from './routes/admin.js';
import { askRouter } from './routes/ask.js';
import { commentsRouter } from './routes/comments.js';
import { usersRouter } from './routes/users.js';
import { apiRouter } from './routes/api.js';
import { authRouter } from './routes/auth.js';
import { editorRouter } from './routes/editor.js';
import { healthRouter } from './routes/health.js';
import { legacyRouters } from './routes/legacy.js';
import { unsubscribeRouter } from './routes/unsubscribe.js';
import { UNREAD_SHOWN_UP_TO } from './services/notifications/replies-inbox.js';
import { homeRouter } from './routes/home.js';
import { moderationRouter } from './routes/moderation.js';
import { postsRouter } from './routes/posts.js';
import { searchRouter } from './routes/search.js';
import { createServices, type Services } from './services/index.js';
import { canModerate } from './lib/roles.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  database: DatabaseHealth;
  /** Shared with the socket layer; built from config when absent. */
  services?: Services;
  renderer?: Renderer;
  /** Rendered comments kept per thread version; shared with the socket layer. */
  fragments?: ThreadFragments;
  /** Whole pages for readers without a session; invalidated by domain events (index.ts wires them). */
  pageCache?: PageCache;
  /** Session and Passport, shared with the socket server; built from config when absent. */
  webAuth?: WebAuth;
  /** false: signed-in readers' post pages rendered whole, never from frames (to compare the two). */
  frames?: boolean;
  /** More routes behind the same middleware (the benchmark's render-only ceiling uses this). */
  extraRoutes?: RequestHandler[];
}

const SHARED_PAGES = 'sharedPages';
/**
 * The post editor's form with every text at its limit (POST_LIMITS: 120,380 characters), at the 12
 * bytes a form can take for one character (%XX for each of four UTF-8 bytes): 1.4 MB.
 */
const EDITOR_BODY_LIMIT = '2mb';
const READER_PAGES = 'readerPages';

/**
 * The HTTP server's request listener: cached pages for readers without a session straight from
 * memory (before Express, whose per-request work would be most of their cost), signed-in readers'
 * pages made from them, the app otherwise.
 */
export function createRequestListener(app: Express, logger?: Logger): RequestListener {
  const pages = app.get(SHARED_PAGES) as ReturnType<typeof sharedPages> | undefined;
  const readers = app.get(READER_PAGES) as ReturnType<typeof readerPages> | undefined;
  if (!pages || !readers) return app;
  const served = memoryServed(logger);
  const fallBack = (req: IncomingMessage, res: ServerResponse) => {
    served.fellBack();
    app(req, res);
  };
  return (req, res) => {
    if (pages.hit(req, res)) served.anonymous();
    else if (readers.handle(req, res, () => fallBack(req, res))) served.signedIn();
    else app(req, res);
  };
}

/**
 * The HTTP server's own limits: a client has REQUEST_TIMEOUT_SECONDS to send a whole request and
 * 10 s (at most) for its headers, checked every second, so a body that trickles in is cut off with
 * a 408 instead of holding a request slot for Node's default five minutes.
 */
export function serverOptions(config: Pick<Config, 'requestTimeoutSeconds'>): ServerOptions {
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    headersTimeout: Math.min(10000, requestTimeout),
    connectionsCheckingInterval: 1000,
  };
}

/** Builds the Express app: no port, no connections, no side effects. */
// eslint-disable-next-line max-lines-per-function -- the composition root of the HTTP app: one straight sequence of middleware and routers, read top to bottom
export function createApp(deps: AppDeps): Express {
  const { config, logger, database } = deps;
  const renderer = deps.renderer ?? createRenderer(VIEWS_DIR, config.nodeEnv !== 'development');
  const services = deps.services ?? createServices({ config });
  const fragments = deps.fragments ?? new ThreadFragments(renderer);
  const pageCache = deps.pageCache ?? new PageCache(config.pageCacheSize, config.pageCacheSeconds * 1000);
  invalidateOnEvents(services.events, pageCache);
  // Times are shown on the site's clocks, and move with them when an admin changes the zone.
  setDisplayZone(config.siteTimeZone);
  services.events.on('settings.changed', ({ keys }) => {
    if (keys.includes('siteTimeZone')) setDisplayZone(config.siteTimeZone);
  });
  const { session, passport, store } = deps.webAuth ?? createWebAuth({ config, users: services.users });

  const app = express();
  app.disable('x-powered-by');
  // ETags are set where they are cheap (cached pages, static files), not by hashing every body.
  app.set('etag', false);
  // One proxy in front (the README's nginx): the address it saw is the last X-Forwarded-For entry.
  // Not `true`, which would take the first, an entry any client can write for itself.
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.engine('hbs', renderer.expressEngine);
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);
  // Read on every render: admins change the title and description while the site runs.
  app.locals.site = {
    get title() {
      return config.siteTitle;
    },
    get description() {
      return config.siteDescription;
    },
    url: config.siteUrl,
  };

  // Pages for readers without a session: built here, served from memory by createRequestListener.
  const pages = sharedPages(pageCache, { cookieName: SESSION_COOKIE });
  app.set(SHARED_PAGES, pages);
  // Signed-in readers' pages: the layout's reader parts, and post pages as kept frames filled.
  const frames = {
    cache: pageCache,
    chrome: new ReaderChrome(renderer, app.locals.site as { title: string; description: string }),
    renderer,
  };
  const postPageDeps = {
    comments: services.comments,
    gate: services.gate,
    fragments,
    frames,
    accounts: services.accounts,
    follows: services.follows,
    likes: services.likes,
  };
  const readerDeps = {
    cache: pageCache,
    store,
    cookieName: SESSION_COOKIE,
    secret: config.sessionSecret,
    chrome: frames.chrome,
    services,
    postPage: (frame: PostFrame, reader: FramedReader) => framedPostPage(postPageDeps, config, frame, reader),
  };
  app.set(READER_PAGES, readerPages(readerDeps));
  app.use(requestLogger(logger));
  app.use(shedLoad(config.maxInFlight, undefined, config.trustProxy));
  // same-origin, not helmet's no-referrer: under no-referrer browsers send "Origin: null" on our
  // own forms, and the ones without Sec-Fetch-Site could then not be told from another site's.
  app.use(helmet({ referrerPolicy: { policy: 'same-origin' } }));
  app.use(pages.build);
  // Everything else is compressed as it streams (brotli or gzip, as the browser accepts).
  app.use(compression());
  // Hashed names ({{asset}}) are cached for good: a new file is a new name.
  const immutable = express.static(PUBLIC_DIR, { maxAge: '365d', immutable: true, index: false });
  app.use((req, res, next) => {
    const hashed = req.method === 'GET' || req.method === 'HEAD' ? HASHED_ASSET.exec(req.path) : null;
    if (!hashed) return next();
    // Only the file's current hash: an old or unknown one is a 404, never another file cached for a year.
    const plain = `${hashed[1]}${hashed[3]}`;
    if (assetUrl(plain) !== req.path) return next();
    req.url = plain;
    immutable(req, res, next);
  });
  app.use(express.static(PUBLIC_DIR, { maxAge: config.nodeEnv === 'production' ? '1h' : 0, index: false }));
  app.use(healthRouter(database));

  app.use(requireDatabase(database));
  // Flat bodies only (extended: false): no nested objects from forms. The editor's forms hold the
  // longest texts: an answer in Cyrillic or Greek within its limit is over a megabyte as a form.
  // Everything else (comments, letters, settings) fits in 256 kB at its limits.
  // Only with a session (staff are signed in): a request without one gets the 256 kB bound.
  const editorBodies = express.urlencoded({ extended: false, limit: EDITOR_BODY_LIMIT, parameterLimit: 100 });
  app.use('/editor', (req, res, next) =>
    hasSession(req, SESSION_COOKIE) ? editorBodies(req, res, next) : next(),
  );
  app.use(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 100 }));
  app.use(express.json({ limit: '64kb', strict: true }));
  // Before sessions and CSRF: a mail program's one-click unsubscribe has neither (RFC 8058).
  app.use(unsubscribeRouter({ replies: services.replies, follows: services.follows }));
  app.use(session);
  app.use(passport.session());
  app.use(csrfProtection(config));
  app.use(async (req, res, next) => {
    res.locals.currentUser = req.user;
    // Staff pages (queues, the letters inbox, the audit log, lists of posts and users) use the width.
    res.locals.wide = /^\/(moderation|editor|admin)(\/|$)/.test(req.path);
    // Sign in and Register in the header come back here (not from the sign-in pages themselves).
    // Nor from a page whose address is a secret mailed to one reader (it would travel in ?next=).
    const away =
      req.originalUrl !== '/' &&
      !/^\/(login|register|forgot|reset)(\/|$)/.test(req.path) &&
      !carriesSecret(req.path);
    if (!req.user && req.method === 'GET' && away) {
      res.locals.returnTo = encodeURIComponent(req.originalUrl);
    }
    // A signed-in reader's unread replies, for the header of every page (one indexed read).
    if (req.user && req.method === 'GET' && !req.path.startsWith('/api/')) {
      // And a moderator's warning it has not acknowledged yet, shown on every page until it is.
      const [unread, warning] = await Promise.all([
        services.inbox.unreadCount(req.user.id),
        services.warnings.pending(req.user.id),
      ]);
      res.locals.warning = warning;
      // Moderators see the queues' counts in the header (kept current live).
      if (canModerate(req.user)) {
        const counts = await services.moderation.counts();
        res.locals.queueCounts = { ...counts, any: Boolean(counts.pending || counts.reported) };
      }
      res.locals.currentPath = carriesSecret(req.path) ? '/' : req.originalUrl;
      res.locals.unreadReplies = unread >= UNREAD_SHOWN_UP_TO ? `${UNREAD_SHOWN_UP_TO - 1}+` : unread;
    }
    next();
  });

  for (const route of deps.extraRoutes ?? []) app.use(route);
  // Each area gets the services its controllers use, and nothing else.
  const { posts, comments, ownComments, gate, users, accounts, letters, moderation, sanctions, audit } =
    services;
  const legacy = legacyRouters({ posts });
  app.use(legacy.home);
  app.use(homeRouter({ posts }));
  app.use(authRouter({ users, accounts }, config, passport));
  app.use(
    postsRouter(
      {
        posts,
        comments,
        gate,
        letters,
        fragments,
        frames: deps.frames === false ? undefined : frames,
        accounts,
        follows: services.follows,
        likes: services.likes,
      },
      config,
    ),
  );
  const accountDeps = {
    posts,
    users,
    ownComments,
    accounts,
    inbox: services.inbox,
    warnings: services.warnings,
    comments,
  };
  const moderationDeps = {
    moderation,
    audit,
    sanctions,
    users,
    commenters: services.commenters,
    warnings: services.warnings,
  };
  app.use(accountRouter(accountDeps, config));
  app.use(usersRouter(accountDeps, config));
  app.use(
    commentsRouter(
      {
        accounts: accountDeps,
        moderation: moderationDeps,
        editing: { ownComments: services.ownComments, posts: services.posts },
        likes: { likes: services.likes, posts: services.posts },
      },
      config,
    ),
  );
  app.use(moderationRouter(moderationDeps, config));
  app.use(
    adminRouter(
      {
        accounts: accountDeps,
        settings: { settings: services.settings, spam: services.spam },
        moderation: moderationDeps,
      },
      config,
    ),
  );
  app.use(searchRouter({ search: services.search, posts }));
  app.use(askRouter({ posts, letters }));
  app.use(editorRouter({ posts, letters }, config));
  app.use('/api', apiRouter({ posts, comments, gate, search: services.search }));

  app.use(legacy.rest);
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
