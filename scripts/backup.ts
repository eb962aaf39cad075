/**
 * npm run backup [-- FILE]: a consistent copy of the embedded database, taken while the site runs
 * and writes, checked (integrity, documents per collection) before it is kept. FILE defaults to
 * BACKUP_DIR/DB_NAME-TIME.sqlite. `npm run restore -- FILE` puts one back.
 */
import path from 'node:path';
import { backupDatabase, backupDirectory, backupFileName } from '../server/db/backup';
import { runScript, scriptConfig } from './lib/boot';
import { describeCounts, fromWhereTheyTyped } from './lib/backup-report';

async function main(): Promise<void> {
  const config = scriptConfig('backup');
  const named = process.argv[2];
  const file = named
    ? fromWhereTheyTyped(named)
    : path.join(backupDirectory(config), backupFileName(config, new Date(), 'manual'));
  console.log(`[backup] copying the embedded database in ${config.dataDir} to ${file}`);
  const summary = await backupDatabase(config, file);
  console.log(
    `[backup] done in ${summary.seconds.toFixed(1)} s: ${(summary.bytes / 1e6).toFixed(1)} MB, integrity ${summary.integrity}`,
  );
  console.log(`[backup] ${describeCounts(summary.collections)}`);
  console.log(`[backup] restore it with: npm run restore -- ${file}`);
}

runScript('backup', main);
