import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/index.js';
import { connectMongoose, disconnectMongoose, mongooseHealth } from './db/connection.js';
import { withDatabase } from './db/embedded.js';
import { EmbeddedDbSupervisor } from './db/supervisor.js';
import { createLogger, type Logger } from './logger.js';
import { ROOT_DIR, VIEWS_DIR } from './paths.js';
import { createRenderer } from './rendering/engine.js';
import { createServices } from './services/index.js';

/** Boot: config, database (embedded or MONGODB_URI), app, listen, graceful shutdown. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every setting.\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);

  let embedded: EmbeddedDbSupervisor | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    embedded = new EmbeddedDbSupervisor(
      {
        binary: path.resolve(ROOT_DIR, config.embeddedDbBinary),
        dataDir: path.resolve(ROOT_DIR, config.dataDir),
      },
      logger,
    );
    uri = (await embedded.start()).uri;
  }
  await connectMongoose(withDatabase(uri, config.dbName), logger);
  logger.info({ embedded: Boolean(embedded) }, 'database connected');

  const renderer = createRenderer(VIEWS_DIR, config.nodeEnv !== 'development');
  const services = createServices({ config, renderer });
  const app = createApp({ config, logger, database: mongooseHealth(), services, renderer });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port, url: `http://localhost:${port}` }, `listening on http://localhost:${port}`);

  let shuttingDown = false;
  async function shutdown(signal: string): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; exiting now');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await disconnectMongoose().catch((err: unknown) => logger.warn({ err }, 'database close failed'));
    await embedded?.stop();
    logger.info('shutdown complete');
    clearTimeout(deadline);
    process.exit(0);
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  const logger: Logger = createLogger('error');
  logger.fatal({ err }, err instanceof Error ? err.message : 'boot failed');
  process.exit(1);
});
