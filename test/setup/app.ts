import type { Express } from 'express';
import { createApp } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import { mongooseHealth, type DatabaseHealth } from '../../server/db/connection';
import { createLogger } from '../../server/logger';
import { createRenderer } from '../../server/rendering/engine';
import { VIEWS_DIR } from '../../server/paths';
import { createServices, type Services } from '../../server/services';

export interface TestApp {
  app: Express;
  config: Config;
  services: Services;
}

/** The real app on the test file's database, with quiet logs. */
export function buildTestApp(
  env: Record<string, string> = {},
  database: DatabaseHealth = mongooseHealth(),
  now?: () => number,
): TestApp {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_ON_EMPTY: 'false',
    BCRYPT_ROUNDS: '4',
    ...env,
  });
  const renderer = createRenderer(VIEWS_DIR);
  const services = createServices({ config, renderer, now });
  const app = createApp({
    config,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    database,
    services,
    renderer,
  });
  return { app, config, services };
}
