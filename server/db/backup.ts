import { execFile } from 'node:child_process';
import { mkdirSync, chmodSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.js';
import { ROOT_DIR } from '../paths.js';

/** What a backup or a restore checked and wrote (the binary's one line of JSON). */
export interface BackupSummary {
  file: string;
  bytes: number;
  integrity: string;
  /** Documents per collection in the copy. */
  collections: Record<string, number>;
  seconds: number;
  /** A restore: where the database it replaced was set aside. */
  previous?: string;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

type BackupConfig = Pick<Config, 'mongodbUri' | 'dataDir' | 'dbName' | 'embeddedDbBinary' | 'backupDir'>;

/** A backup's file name: the database and the time, in UTC (sorts by time). */
export function backupFileName(
  config: Pick<Config, 'dbName'>,
  at: Date,
  kind: 'manual' | 'scheduled',
): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${config.dbName}-${stamp}${kind === 'scheduled' ? '-scheduled' : ''}.sqlite`;
}

/** Exit code of a backup that gave way to another being written to the same folder. */
const BUSY = 3;

function run(config: BackupConfig, args: string[]): Promise<BackupSummary | null> {
  if (config.mongodbUri) {
    return Promise.reject(
      new BackupError(
        'MONGODB_URI is set: back up your MongoDB with its own tools (mongodump, or your host’s snapshots); ' +
          'see "Backups" in the README.',
      ),
    );
  }
  const binary = path.resolve(ROOT_DIR, config.embeddedDbBinary);
  return new Promise((resolve, reject) => {
    execFile(binary, args, { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err && err.code === BUSY) {
        resolve(null);
        return;
      }
      if (err) {
        const said = stderr.trim().replace(/^embedded-mongo: /, '');
        reject(new BackupError(said || err.message));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as BackupSummary);
      } catch {
        reject(new BackupError(`unexpected answer from the database: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

/**
 * Writes a consistent copy of the site's embedded database to `file` while the site serves and
 * writes (SQLite's VACUUM INTO, in one read transaction: every write acknowledged before it began
 * is in the copy), checks it (integrity, documents per collection), and only then gives it its name.
 */
export async function backupDatabase(config: BackupConfig, file: string): Promise<BackupSummary> {
  const summary = await takeBackup(config, file, false);
  if (!summary) throw new BackupError('another backup is being written'); // only with oneAtATime
  return summary;
}

/**
 * A scheduled backup: null when another process is writing one to the same folder at this moment
 * (several web processes on one data directory take one between them).
 */
export function backupUnlessBusy(config: BackupConfig, file: string): Promise<BackupSummary | null> {
  return takeBackup(config, file, true);
}

function takeBackup(config: BackupConfig, file: string, oneAtATime: boolean): Promise<BackupSummary | null> {
  const target = path.resolve(file);
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  return run(config, [
    'backup',
    ...(oneAtATime ? ['-one-at-a-time'] : []),
    '-data',
    path.resolve(ROOT_DIR, config.dataDir),
    '-db',
    config.dbName,
    '-out',
    target,
  ]);
}

/**
 * Puts a backup in place of the site's embedded database. Refused while the site or a script uses
 * the data directory; the database it replaces is kept beside it, renamed.
 */
export async function restoreDatabase(config: BackupConfig, file: string): Promise<BackupSummary> {
  const summary = await run(config, [
    'restore',
    '-data',
    path.resolve(ROOT_DIR, config.dataDir),
    '-db',
    config.dbName,
    '-in',
    path.resolve(file),
  ]);
  if (!summary) throw new BackupError('the restore was not done');
  return summary;
}

/** BACKUP_DIR, created private to the owner (a backup holds password hashes and addresses). */
export function backupDirectory(config: Pick<Config, 'backupDir'>): string {
  const dir = path.resolve(ROOT_DIR, config.backupDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}
