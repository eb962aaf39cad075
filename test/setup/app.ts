import type { Express } from 'express';
import { createApp } from '../../server/app';
import { guestToken } from '../../server/auth/csrf';
import { createWebAuth, type WebAuth } from '../../server/auth/web-auth';
import { loadConfig, type Config } from '../../server/config';
import { mongooseHealth, type DatabaseHealth } from '../../server/db/connection';
import { createLogger, type Logger } from '../../server/logger';
import { ThreadFragments } from '../../server/rendering/thread-fragments';
import { createRenderer } from '../../server/rendering/engine';
import { VIEWS_DIR } from '../../server/paths';
import { createServices, type Services } from '../../server/services';

export interface TestApp {
  app: Express;
  config: Config;
  services: Services;
  fragments: ThreadFragments;
  webAuth: WebAuth;
}

export const testLogger = () => createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

/** The real app on the test file's database, with quiet logs (TEST_LOG_LEVEL=error to see them). */
export function buildTestApp(
  env: Record<string, string> = {},
  database: DatabaseHealth = mongooseHealth(),
  now?: () => number,
  logger: Logger = testLogger(),
): TestApp {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_ON_EMPTY: 'false',
    PASSWORD_COST: '10',
    // Test files sign in many times from one address; the sign-in limit has its own test.
    LOGIN_MAX_SIGNINS: '100000',
    // Tests post many comments from one address in a second; the pace limit has its own tests.
    COMMENT_INTERVAL_SECONDS: '0',
    // Likewise searches: the search limit has its own test.
    SEARCH_PER_MINUTE: '0',
    // Captured mail stays in memory (services.mailer.captured); no files.
    OUTBOX_DIR: '',
    ...env,
  });
  const renderer = createRenderer(VIEWS_DIR);
  const fragments = new ThreadFragments(renderer);
  const services = createServices({ config, now });
  const webAuth = createWebAuth({ config, users: services.users });
  const app = createApp({ config, logger, database, services, renderer, fragments, webAuth });
  return { app, config, services, fragments, webAuth };
}

/**
 * The form token a guest's page carries this hour (what the page's hidden `_csrf` field holds),
 * for tests that post a guest's form without loading the page first.
 */
export function guestForm(secret = loadConfig({ NODE_ENV: 'test' }).sessionSecret): string {
  return guestToken(secret);
}
