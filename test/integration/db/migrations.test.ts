import { MigrationModel } from '../../../models/migration';
import { runMigrations } from '../../../server/db/migrations';
import { buildPost } from '../../fixtures/factories';
import '../../setup/app';

describe('migrations at boot', () => {
  it('two processes starting together both boot, and each migration is recorded once', async () => {
    await buildPost();
    await MigrationModel.deleteMany({});
    // As two web processes on one database at the same moment (the cause of a failed boot once:
    // both upserted the same record and the embedded database refused the second insert).
    const [first, second] = await Promise.all([runMigrations(), runMigrations()]);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThanOrEqual(0);
    const names = (await MigrationModel.find({}).lean()).map((m) => String(m._id)).sort();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...new Set([...first, ...second])].sort());
  });
});
