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
    // Development and tests: a fixed secret, so logins survive restarts. Never used in production.
    result.sessionSecret = 'development-only-session-secret-not-for-production';
  } else if (result.sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters');
  }
  return result;
}
