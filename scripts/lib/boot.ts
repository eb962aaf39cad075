/**
 * What every operator's script does first: read the settings (.env, then the environment), open
 * the site's database (MONGODB_URI, or attach to the embedded database of DATA_DIR, which works
 * while the site runs) and bring it up to date; and how each reports its end.
 */
import type { Config } from '../../server/config';
import { ConfigError, ensureSessionSecret, loadConfig } from '../../server/config';
import { readEnvFile } from '../../server/config/env-file';
import { runMigrations } from '../../server/db/migrations';
import { openDatabase } from '../../server/db/open';
import { createLogger } from '../../server/logger';

/** The settings, or the reason they are wrong and exit code 78 (as `npm start` does). */
export function scriptConfig(tag: string): Config {
  try {
    readEnvFile();
    const config = loadConfig();
    ensureSessionSecret(config);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[${tag}] ${err.message}\nSee .env.example for every setting.`);
      process.exit(78);
    }
    throw err;
  }
}

export function describeDatabase(config: Config): string {
  return config.mongodbUri ? 'the MongoDB at MONGODB_URI' : `the embedded database in ${config.dataDir}`;
}

/** Opens the database for a script; `close` lets go of it (the site, if it runs, keeps it). */
export async function openForScript(
  tag: string,
  config: Config = scriptConfig(tag),
  { quiet = false }: { quiet?: boolean } = {},
): Promise<{ config: Config; close: () => Promise<void> }> {
  if (!quiet) console.log(`[${tag}] opening ${describeDatabase(config)}`);
  const database = await openDatabase(config, createLogger('warn'));
  try {
    // Slow migrations are the site's to run (in the background at its start).
    await runMigrations((message) => console.log(`[${tag}] ${message}`), { slow: 'skip' });
  } catch (err) {
    await database.close();
    throw err;
  }
  return { config, close: () => database.close() };
}

/** Runs a script's main function: a failure is one readable line and exit code 1. */
export function runScript(tag: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(`[${tag}] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
