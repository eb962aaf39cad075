import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { backupDirectory, backupFileName, backupUnlessBusy, type BackupSummary } from './backup.js';

type ScheduleConfig = Pick<
  Config,
  'mongodbUri' | 'dataDir' | 'dbName' | 'embeddedDbBinary' | 'backupDir' | 'backupEveryHours' | 'backupKeep'
>;

/** Node's timers hold at most about 24 days; a longer wait is taken in steps. */
const LONGEST_WAIT_MS = 2 ** 31 - 1;

/**
 * Scheduled backups of the embedded database (BACKUP_EVERY_HOURS, into BACKUP_DIR, keeping the
 * newest BACKUP_KEEP of them). The time of the newest scheduled backup on disk sets the next one,
 * so a restart does not start the clock again, and several web processes on one data directory
 * take one backup per period between them (one finds the other's file and waits).
 */
export class BackupSchedule {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly config: ScheduleConfig,
    private readonly logger: Pick<Logger, 'info' | 'error'>,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return !this.config.mongodbUri && this.config.backupEveryHours > 0;
  }

  private get periodMs(): number {
    return this.config.backupEveryHours * 3600000;
  }

  /** Scheduled backups on disk, newest first, with the time each was taken (from its name). */
  list(): { file: string; takenAt: number }[] {
    const dir = backupDirectory(this.config);
    const prefix = `${this.config.dbName}-`;
    return readdirSync(dir)
      .map((name) => {
        const stamp =
          name.startsWith(prefix) &&
          /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z-scheduled\.sqlite$/.exec(name.slice(prefix.length));
        if (!stamp) return null;
        const [, y, mo, d, h, mi, s] = stamp.map(Number);
        return { file: path.join(dir, name), takenAt: Date.UTC(y, mo - 1, d, h, mi, s) };
      })
      .filter((entry): entry is { file: string; takenAt: number } => entry !== null)
      .sort((a, b) => b.takenAt - a.takenAt);
  }

  /** How long until a backup is due (0: now). */
  dueInMs(): number {
    const newest = this.list()[0];
    return newest ? Math.max(0, newest.takenAt + this.periodMs - this.now()) : 0;
  }

  /**
   * Takes a backup if one is due, then deletes the scheduled backups beyond BACKUP_KEEP. Null when
   * none was due, or another process was writing this period's at that moment.
   */
  async runIfDue(): Promise<BackupSummary | null> {
    if (this.dueInMs() > 0) return null;
    const file = path.join(
      backupDirectory(this.config),
      backupFileName(this.config, new Date(this.now()), 'scheduled'),
    );
    const summary = await backupUnlessBusy(this.config, file);
    if (!summary) return null;
    for (const old of this.list().slice(this.config.backupKeep)) rmSync(old.file, { force: true });
    return summary;
  }

  start(): void {
    if (!this.enabled) return;
    this.logger.info(
      {
        every: `${this.config.backupEveryHours} h`,
        dir: this.config.backupDir,
        keep: this.config.backupKeep,
      },
      'scheduled backups on',
    );
    // The first look waits a minute: the site's start is not the moment to copy the database.
    this.wait(Math.max(60000, this.safeDueInMs()));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private safeDueInMs(): number {
    try {
      return this.dueInMs();
    } catch (err) {
      this.logger.error({ err }, 'cannot read BACKUP_DIR; trying again in an hour');
      return 3600000;
    }
  }

  private wait(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), Math.min(ms, LONGEST_WAIT_MS));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const summary = await this.runIfDue();
      if (summary)
        this.logger.info(
          {
            file: summary.file,
            bytes: summary.bytes,
            seconds: summary.seconds,
            comments: summary.collections.comments,
          },
          'scheduled backup written and checked',
        );
    } catch (err) {
      this.logger.error({ err }, 'scheduled backup failed; trying again in an hour');
      this.wait(3600000);
      return;
    }
    this.wait(Math.max(60000, this.safeDueInMs()));
  }
}
