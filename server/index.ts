import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { createServer } from 'node:http';
import { clusterBus, redisBus } from './cluster/bus.js';
import { limitsFromPrimary } from './cluster/limits.js';
import { runPrimary } from './cluster/primary.js';
import { shareAccountChanges } from './cluster/account-changes.js';
import { createClient } from 'redis';
import { shareSettings } from './services/settings/settings-sync.js';
import type { AddressInfo } from 'node:net';
import { createApp, createRequestListener, serverOptions } from './app.js';
import { ConfigError, ensureSessionSecret, loadConfig, type Config } from './config/index.js';
import { readEnvFile } from './config/env-file.js';
import { mongooseHealth } from './db/connection.js';
import { MongoSessionStore } from './auth/session-store.js';
import { createWebAuth } from './auth/web-auth.js';
import { openDatabase } from './db/open.js';
import { createLogger } from './logger.js';
import { VIEWS_DIR } from './paths.js';
import { createRenderer } from './rendering/engine.js';
import { ThreadFragments } from './rendering/thread-fragments.js';
import { PageCache } from './rendering/page-cache.js';
import { invalidateAcrossProcesses } from './rendering/page-invalidation.js';
import { seedIfEmpty } from './seed/seed.js';
import { runMigrations } from './db/migrations.js';
import { BackupSchedule } from './db/backup-schedule.js';
import { createServices } from './services/index.js';
import { attachSockets } from './sockets/index.js';

function readConfig(): Config {
  try {
    readEnvFile();
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** Boot: config, database (embedded or MONGODB_URI), demo content, app, listen, graceful shutdown. */
// eslint-disable-next-line max-lines-per-function -- the process's composition root: start-up and shutdown in order, read top to bottom
async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel, {
    pretty: config.nodeEnv === 'development' && process.stdout.isTTY,
  });
  const secret = ensureSessionSecret(config);
  if (secret !== 'configured') {
    logger.warn(
      `SESSION_SECRET is not set: using a random secret ${secret === 'generated' ? 'made now and ' : ''}kept in ${config.dataDir}/session-secret. Set SESSION_SECRET to choose your own.`,
    );
  }
  const database = await openDatabase(config, logger);
  logger.info({ embedded: database.embedded }, 'database connected');
  const migrated = await runMigrations((message) => logger.info(message), {
    // A migration that reads a whole large collection does not hold up the start.
    slow: (name, run) =>
      void run().then(
        () => logger.info(`migration ${name}: done`),
        (err: unknown) => logger.error({ err }, `migration ${name} failed; it runs again at the next start`),
      ),
  });
  if (migrated.length) logger.info({ migrations: migrated }, 'database migrated');

  if (config.seedOnEmpty) {
    const report = await seedIfEmpty((message) => logger.info(`seeding demo content: ${message}`));
    if (report) logger.info(report, 'demo content created (SEED_ON_EMPTY=false turns this off)');
  }

  // With REDIS_URL, limits (logins, comment pace, letters) are shared by every process.
  let redis: ReturnType<typeof createClient> | undefined;
  if (config.redisUrl) {
    // Commands fail at once while Redis is away (limits then count per process), never queue up.
    redis = createClient({ url: config.redisUrl, disableOfflineQueue: true });
    redis.on('error', (err) => logger.error({ err }, 'redis (limits) error'));
    await redis.connect();
  }
  // Workers of one machine without Redis: the primary keeps their limits, and carries their messages.
  const clustered = cluster.isWorker;
  const bus = redis ? redisBus(redis, logger) : clustered ? clusterBus() : undefined;
  const services = createServices({
    config,
    logger,
    redis,
    limits: clustered && !redis ? limitsFromPrimary() : undefined,
  });
  // Settings saved at /admin/settings win over the environment's defaults, from the first request.
  await services.settings.refresh();
  services.settings.start(config.settingsPollSeconds, (err) =>
    logger.error({ err }, 'reading changed settings failed'),
  );
  const stopSettingsSync = bus ? await shareSettings(services.settings, bus, logger) : async () => undefined;
  const renderer = createRenderer(VIEWS_DIR, config.nodeEnv !== 'development');
  const fragments = new ThreadFragments(renderer);
  const pageCache = new PageCache(config.pageCacheSize, config.pageCacheSeconds * 1000);
  // With several processes, a write in any of them drops the cached pages of every one.
  const stopPageSync = bus
    ? await invalidateAcrossProcesses(services.events, pageCache, bus)
    : async () => undefined;
  const sessionStore = new MongoSessionStore({ maxAgeMs: config.sessionMaxAgeDays * 86400000, logger });
  // Accounts, sessions and bans changed in one process are read again at once in the others.
  const stopAccountsSync = bus
    ? await shareAccountChanges(services, sessionStore, bus)
    : async () => undefined;
  const webAuth = createWebAuth({ config, users: services.users, store: sessionStore });
  // While draining (after SIGTERM), /readyz says 503 so a load balancer stops sending, and every
  // response closes its connection; requests already on their way are still served.
  let draining = false;
  const health = mongooseHealth();
  const readiness = {
    isConnected: () => health.isConnected(),
    ping: async (timeoutMs?: number) => !draining && (await health.ping(timeoutMs)),
  };
  const app = createApp({
    config,
    logger,
    database: readiness,
    services,
    renderer,
    fragments,
    pageCache,
    webAuth,
  });
  const server = createServer(serverOptions(config), createRequestListener(app, logger));
  server.prependListener('request', (_req, res) => {
    if (draining) res.setHeader('Connection', 'close');
    // Which worker answered (1, 2…): for an operator looking at several.
    if (cluster.worker) res.setHeader('X-Worker', String(cluster.worker.id));
  });
  const live = await attachSockets(server, { config, logger, services, fragments, webAuth, clustered });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, url: `http://localhost:${port}` }, `listening on http://localhost:${port}`);

  // Mail waiting in the queue (from before a restart too) goes out; then every few seconds.
  services.mailQueue.start();
  services.mailQueue.kick();
  // Followed posts' digests: looked at every minute, sent at most every FOLLOW_DIGEST_MINUTES.
  const digests = setInterval(
    () =>
      void services.follows
        .sendDigests()
        .catch((err: unknown) => logger.error({ err }, 'follow digests failed')),
    60000,
  );
  digests.unref();

  // The spam classifier: the newest model now, then trained again on schedule by one process.
  services.spam.start();

  // Guests' names are checked in memory once the account names and bylines are read (until then, in the database).
  void services.names.warm();

  // Scheduled posts publish themselves: once now, then every 30 s (conditional updates, so safe on many processes).
  const publishDue = () =>
    services.posts
      .publishDue()
      .catch((err: unknown) => logger.error({ err }, 'publishing scheduled posts failed'));
  void publishDue();
  const scheduler = setInterval(publishDue, 30000);
  scheduler.unref();

  // BACKUP_EVERY_HOURS: checked copies of the embedded database, the oldest beyond BACKUP_KEEP deleted.
  const backups = new BackupSchedule(config, logger);
  backups.start();

  let shuttingDown = false;
  async function shutdown(signal: string): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    clearInterval(scheduler);
    backups.stop();
    services.mailQueue.stop();
    clearInterval(digests);
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; exiting now');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    // Drain first: keep serving (each response closing its connection) for a moment, so a request
    // already sent is never cut off by the close; then stop listening and close what is idle.
    draining = true;
    await new Promise((resolve) => setTimeout(resolve, config.shutdownGraceMs));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await live.close();
    await closed;
    sessionStore.close();
    await stopPageSync();
    services.settings.stop();
    services.spam.stop();
    await stopSettingsSync();
    await stopAccountsSync();
    await redis?.quit().catch(() => undefined);
    await database.close();
    logger.info('shutdown complete');
    clearTimeout(deadline);
    process.exit(0);
  }
  // A promise nobody awaited must not take the site down: log it with its stack and keep serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** WEB_CONCURRENCY, or by default one worker per core in production and one process otherwise. */
function workerCount(config: Config): number {
  if (config.webConcurrency > 0) return config.webConcurrency;
  return config.nodeEnv === 'production' ? availableParallelism() : 1;
}

const boot = (): Promise<void> => {
  if (!cluster.isPrimary) return main();
  const config = readConfig();
  const count = workerCount(config);
  if (count <= 1) return main();
  return runPrimary(count, createLogger(config.logLevel));
};
boot().catch((err: unknown) => {
  createLogger('error').fatal({ err }, err instanceof Error ? err.message : 'boot failed');
  process.exit(1);
});
