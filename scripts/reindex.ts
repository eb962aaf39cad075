/**
 * npm run reindex: rebuilds the search index from every post and comment, saying how far it is.
 * The index follows every write by itself; this is for a new install of search on an old database,
 * or a repair. Uses MONGODB_URI, or the embedded database in DATA_DIR like `npm start`. Searches
 * made while it runs find less until it is done.
 */
import { SearchIndex } from '../server/services/search/search-index';
import { openForScript, runScript } from './lib/boot';

async function main(): Promise<void> {
  const { close } = await openForScript('reindex');
  try {
    await new SearchIndex().rebuild((message) => console.log(`[reindex] ${message}`));
  } finally {
    await close();
  }
}

runScript('reindex', main);
