import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, schema, type Config } from './schema.js';

export { ConfigError, schema, type Config };

/** Reads and validates every setting; throws ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(schema)) {
    const raw = env[setting.env];
    config[key] = raw === undefined ? setting.default : setting.parse(raw);
  }
  const result = config as Config;
  if (result.sessionSecret === '') {
    if (result.nodeEnv === 'production') throw new ConfigError('SESSION_SECRET', 'must be set in production');
    // Tests: a fixed secret. Never used outside NODE_ENV=test; development generates its own (below).
    if (result.nodeEnv === 'test') result.sessionSecret = 'test-only-session-secret-not-for-any-real-site';
  } else if (result.sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters');
  }
  return result;
}

/**
 * Without SESSION_SECRET outside production and tests, the secret is random, made on first start
 * and kept in DATA_DIR/session-secret (readable by its owner only), so logins survive restarts and
 * no two sites share one. Returns where it came from, for the boot log; writes nothing otherwise.
 */
export function ensureSessionSecret(config: Config): 'configured' | 'generated' | 'stored' {
  if (config.sessionSecret) return 'configured';
  const file = path.resolve(config.dataDir, 'session-secret');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) {
      config.sessionSecret = stored;
      return 'stored';
    }
  }
  mkdirSync(path.dirname(file), { recursive: true });
  config.sessionSecret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${config.sessionSecret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return 'generated';
}
