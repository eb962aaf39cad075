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
  if (result.nodeEnv === 'production' && result.editorSecret !== '' && result.editorSecret.length < 16) {
    throw new ConfigError('EDITOR_SECRET', 'must be at least 16 characters in production');
  }
  return result;
}
