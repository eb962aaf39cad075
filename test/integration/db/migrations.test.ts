import mongoose from 'mongoose';
import { MigrationModel } from '../../../models/migration';
import { ensureIndexes } from '../../../server/db/connection';
import { PostModel } from '../../../models/post';
import { runMigrations } from '../../../server/db/migrations';
import { buildPost } from '../../fixtures/factories';
import '../../setup/app';

const SLOW = '2026-11-search-document-count';

describe('migrations at boot', () => {
  beforeEach(async () => {
    await MigrationModel.deleteMany({});
    await PostModel.deleteMany({});
  });

  it('two processes starting together both boot, and each migration is recorded once', async () => {
    await buildPost();
    // As two web processes on one database at the same moment (the cause of a failed boot once:
    // both upserted the same record and the embedded database refused the second insert).
    const [first, second] = await Promise.all([runMigrations(), runMigrations()]);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThanOrEqual(0);
    const names = (await MigrationModel.find({}).lean()).map((m) => String(m._id)).sort();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...new Set([...first, ...second])].sort());
  });

  it('a new, empty database is recorded as migrated without running anything (a fresh import is not re-read)', async () => {
    await mongoose.connection.db!.dropDatabase();
    const messages: string[] = [];
    expect(await runMigrations((m) => messages.push(m))).toEqual([]);
    expect(messages).toEqual([]);
    expect(await MigrationModel.exists({ _id: SLOW })).toBeTruthy();
    expect(await MigrationModel.countDocuments()).toBeGreaterThanOrEqual(5);
    await ensureIndexes();
  });

  it('a database with anything in it, in any collection, is not taken for a new one', async () => {
    await mongoose.connection.db!.collection('letters').insertOne({ subject: 'From before the migrations' });
    expect(await runMigrations()).toContain(SLOW);
  });

  it('the site runs a slow migration in the background; a script leaves it to the site', async () => {
    await buildPost();
    expect(await runMigrations(() => undefined, { slow: 'skip' })).not.toContain(SLOW);
    expect(await MigrationModel.exists({ _id: SLOW })).toBeNull();

    const later: { name: string; run: () => Promise<void> }[] = [];
    const ran = await runMigrations(() => undefined, { slow: (name, run) => later.push({ name, run }) });
    expect(ran).toEqual([]);
    expect(later.map((l) => l.name)).toEqual([SLOW]);
    // Not recorded until it has run: a start interrupted meanwhile runs it again.
    expect(await MigrationModel.exists({ _id: SLOW })).toBeNull();
    await later[0].run();
    expect(await MigrationModel.exists({ _id: SLOW })).toBeTruthy();
  });
});
