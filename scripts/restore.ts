/**
 * npm run restore -- FILE: puts a backup made by `npm run backup` in place of the embedded
 * database. Stop the site first (it refuses while the site or a script uses DATA_DIR); the
 * database it replaces is kept beside it, renamed, not deleted.
 */
import { restoreDatabase } from '../server/db/backup';
import { runScript, scriptConfig } from './lib/boot';
import { describeCounts, fromWhereTheyTyped } from './lib/backup-report';

async function main(): Promise<void> {
  const config = scriptConfig('restore');
  const named = process.argv[2];
  if (!named) {
    console.error('Usage: npm run restore -- FILE   (a file written by npm run backup; stop the site first)');
    process.exit(2);
  }
  const file = fromWhereTheyTyped(named);
  console.log(`[restore] checking ${file}, then putting it in place of the database in ${config.dataDir}`);
  const summary = await restoreDatabase(config, file);
  console.log(`[restore] done in ${summary.seconds.toFixed(1)} s: ${describeCounts(summary.collections)}`);
  if (summary.previous) console.log(`[restore] the database it replaced is kept as ${summary.previous}`);
  console.log('[restore] start the site again: npm start');
}

runScript('restore', main);
