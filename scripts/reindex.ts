/**
 * npm run reindex: rebuilds the search index from every post and comment, saying how far it is.
 * The index follows every write by itself; this is for a new install of search on an old database,
 * or a repair. Uses MONGODB_URI, or the embedded database in DATA_DIR like `npm start`. Searches
 * made while it runs find less until it is done.
 */
import { ensureSessionSecret, loadConfig } from '../server/config';
import { readEnvFile } from '../server/config/env-file';
import { openDatabase } from '../server/db/open';
import { createLogger } from '../server/logger';
import { DomainEvents } from '../server/services/events';
import { SearchIndex } from '../server/services/search/search-index';

async function main(): Promise<void> {
  readEnvFile();
  const config = loadConfig();
  ensureSessionSecret(config);
  console.log(
    `[reindex] opening the ${config.mongodbUri ? 'MongoDB at MONGODB_URI' : `embedded database in ${config.dataDir}`}`,
  );
  const database = await openDatabase(config, createLogger('warn'));
  try {
    await new SearchIndex(new DomainEvents()).rebuild((message) => console.log(`[reindex] ${message}`));
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error('[reindex] failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
