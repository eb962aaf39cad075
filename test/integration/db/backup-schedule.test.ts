import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { BackupSchedule } from '../../../server/db/backup-schedule';
import { buildPost } from '../../fixtures/factories';
import { EMBEDDED_DB_BINARY } from '../../setup/paths';
import '../../setup/app';

describe('scheduled backups (BACKUP_EVERY_HOURS, BACKUP_KEEP)', () => {
  const backupDir = mkdtempSync(path.join(os.tmpdir(), 'advice-backups-'));
  afterAll(() => rmSync(backupDir, { recursive: true, force: true }));
  const logger = { info: jest.fn(), error: jest.fn() };

  function schedule(now: number) {
    return new BackupSchedule(
      {
        mongodbUri: '',
        // This test file's own database, on the test run's embedded server.
        dataDir: process.env.TEST_DB_DATA_DIR!,
        dbName: mongoose.connection.db!.databaseName,
        embeddedDbBinary: EMBEDDED_DB_BINARY,
        backupDir,
        backupEveryHours: 24,
        backupKeep: 2,
      },
      logger,
      () => now,
    );
  }

  it('takes one when due, none until the period has passed, and keeps the newest BACKUP_KEEP', async () => {
    await buildPost({ title: 'Kept in every backup' });
    const start = Date.UTC(2026, 11, 7, 3, 0, 0);

    const first = await schedule(start).runIfDue();
    expect(first?.integrity).toBe('ok');
    expect(first?.collections.posts).toBe(1);
    expect(await schedule(start + 23 * 3600000).runIfDue()).toBeNull();
    expect(schedule(start + 23 * 3600000).dueInMs()).toBe(3600000);

    await schedule(start + 24 * 3600000).runIfDue();
    await schedule(start + 48 * 3600000).runIfDue();
    const names = readdirSync(backupDir)
      .filter((name) => name.endsWith('.sqlite'))
      .sort();
    expect(names).toEqual([
      `${mongoose.connection.db!.databaseName}-20261208T030000Z-scheduled.sqlite`,
      `${mongoose.connection.db!.databaseName}-20261209T030000Z-scheduled.sqlite`,
    ]);
  });

  it('is off with MONGODB_URI (its own tools back MongoDB up) and with BACKUP_EVERY_HOURS=0', () => {
    const base = {
      dataDir: '',
      dbName: 'advice',
      embeddedDbBinary: EMBEDDED_DB_BINARY,
      backupDir,
      backupKeep: 2,
    };
    expect(
      new BackupSchedule({ ...base, mongodbUri: 'mongodb://db/advice', backupEveryHours: 24 }, logger)
        .enabled,
    ).toBe(false);
    expect(new BackupSchedule({ ...base, mongodbUri: '', backupEveryHours: 0 }, logger).enabled).toBe(false);
    expect(new BackupSchedule({ ...base, mongodbUri: '', backupEveryHours: 24 }, logger).enabled).toBe(true);
  });
});
