import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { csrfProtection } from './auth/csrf.js';
import { shedLoad } from './middleware/shed-load.js';
import { createWebAuth, type WebAuth } from './auth/web-auth.js';
import type { Config } from './config/index.js';
import type { DatabaseHealth } from './db/connection.js';
import { errorHandler } from './middleware/error-handler.js';
import { notFound } from './middleware/not-found.js';
import { requestLogger } from './middleware/request-logger.js';
import { requireDatabase } from './middleware/require-database.js';
import { PUBLIC_DIR, VIEWS_DIR } from './paths.js';
import { createRenderer, type Renderer } from './rendering/engine.js';
import { accountsRouter } from './routes/accounts.js';
import { apiRouter } from './routes/api.js';
import { authRouter } from './routes/auth.js';
import { editorRouter } from './routes/editor.js';
import { healthRouter } from './routes/health.js';
import { homeRouter } from './routes/home.js';
import { lettersRouter } from './routes/letters.js';
import { moderationRouter } from './routes/moderation.js';
import { postsRouter } from './routes/posts.js';
import { createServices, type Services } from './services/index.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  database: DatabaseHealth;
  /** Shared with the socket layer; built from config when absent. */
  services?: Services;
  renderer?: Renderer;
  /** Session and Passport, shared with the socket server; built from config when absent. */
  webAuth?: WebAuth;
  /** More routes behind the same middleware (the benchmark's render-only ceiling uses this). */
  extraRoutes?: RequestHandler[];
}

/** Builds the Express app: no port, no connections, no side effects. */
export function createApp(deps: AppDeps): Express {
  const { config, logger, database } = deps;
  const renderer = deps.renderer ?? createRenderer(VIEWS_DIR, config.nodeEnv !== 'development');
  const services = deps.services ?? createServices({ config, renderer });
  const { session, passport } = deps.webAuth ?? createWebAuth({ config, users: services.users });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.engine('hbs', renderer.expressEngine);
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);
  app.locals.site = { title: config.siteTitle, url: config.siteUrl };

  app.use(requestLogger(logger));
  app.use(shedLoad(config.maxInFlight));
  // same-origin, not helmet's no-referrer: under no-referrer browsers send "Origin: null" on our
  // own forms, and the ones without Sec-Fetch-Site could then not be told from another site's.
  app.use(helmet({ referrerPolicy: { policy: 'same-origin' } }));
  app.use(express.static(PUBLIC_DIR, { maxAge: config.nodeEnv === 'production' ? '7d' : 0, index: false }));
  app.use(healthRouter(database));

  app.use(requireDatabase(database));
  // Flat bodies only (extended: false): no nested objects from forms.
  app.use(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 100 }));
  app.use(express.json({ limit: '64kb', strict: true }));
  app.use(session);
  app.use(passport.session());
  app.use(csrfProtection(config));
  app.use((req, res, next) => {
    res.locals.currentUser = req.user;
    next();
  });

  for (const route of deps.extraRoutes ?? []) app.use(route);
  app.use(homeRouter(services));
  app.use(authRouter(services, config, passport));
  app.use(postsRouter(services, config));
  app.use(accountsRouter(services));
  app.use(moderationRouter(services, config));
  app.use(lettersRouter(services));
  app.use(editorRouter(services));
  app.use('/api', apiRouter(services));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
