/**
 * A backup taken while readers post (the site as `npm start` runs it, `npm run backup` from another
 * process), restored into a new data directory: every comment acknowledged before the backup began
 * is there exactly once, and the restored site starts and serves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDb, withDatabase } from '../../server/db/embedded';
import { EMBEDDED_DB_BINARY, ROOT } from '../setup/paths';
import { runScriptProcess } from '../setup/script-process';
import { guestWriter, startServerProcess } from '../setup/server-process';

process.env.TEST_OWN_DATABASE = '1';

const SLUG = 'coworker-takes-credit';
const FIXTURE = path.join(ROOT, 'test/fixtures/import/wordpress.xml');

async function storedBodies(dataDir: string): Promise<string[]> {
  const db = await startEmbeddedDb({ binary: EMBEDDED_DB_BINARY, dataDir });
  const connection = await mongoose.createConnection(withDatabase(db.uri, 'advice')).asPromise();
  try {
    return (await connection.collection('comments').find({}).toArray()).map((c) => String(c.bodySource));
  } finally {
    await connection.close();
    await db.stop();
  }
}

describe('faults: a backup under write load', () => {
  jest.setTimeout(120000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-backup-live-'));
  const restoredDir = mkdtempSync(path.join(os.tmpdir(), 'advice-backup-restored-'));
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'advice-backup-file-')), 'under-load.sqlite');
  afterAll(() => {
    for (const d of [dir, restoredDir, path.dirname(file)]) rmSync(d, { recursive: true, force: true });
  });

  it('restores with every comment acknowledged before it began, once; the restored site serves', async () => {
    expect(
      (
        await runScriptProcess('import', ['wordpress', FIXTURE, '--report', `${dir}-report`], {
          DATA_DIR: dir,
        })
      ).code,
    ).toBe(0);
    rmSync(`${dir}-report`, { recursive: true, force: true });
    const site = await startServerProcess({ DATA_DIR: dir, COMMENT_INTERVAL_SECONDS: '0' });
    const sent: { body: string; status: number; at: number }[] = [];
    let writing = true;
    const writers = [1, 2, 3].map(async (w) => {
      const post = await guestWriter(site.url, SLUG, `Writer ${w}`);
      for (let n = 1; writing; n += 1) {
        const body = `Writer ${w}, comment ${n}: still posting while the backup runs.`;
        const res = await post(body).catch(() => ({ status: 0 }) as Response);
        sent.push({ body, status: res.status, at: Date.now() });
      }
    });
    // Enough acknowledged before the backup begins (counted, not timed: a busy machine is slower).
    for (let i = 0; i < 300 && sent.filter((s) => s.status === 303).length <= 20; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const began = Date.now();
    const backup = await runScriptProcess('backup', [file], { DATA_DIR: dir });
    const acknowledgedDuring = sent.filter((s) => s.status === 303 && s.at >= began).length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    writing = false;
    await Promise.all(writers);
    site.child.kill('SIGTERM');
    expect(await site.exited).toBe(0);

    expect(backup.code).toBe(0);
    expect(backup.output).toContain('integrity ok');
    const before = sent.filter((s) => s.status === 303 && s.at < began);
    expect(before.length).toBeGreaterThan(20);
    // Writes went on while it copied: the copy did not stop the site.
    expect(acknowledgedDuring).toBeGreaterThan(0);

    const restored = await runScriptProcess('restore', [file], { DATA_DIR: restoredDir });
    expect(restored.code).toBe(0);
    const again = await startServerProcess({ DATA_DIR: restoredDir });
    expect((await fetch(`${again.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${again.url}/posts/${SLUG}`)).status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);

    const stored = await storedBodies(restoredDir);
    for (const s of before) expect(stored.filter((b) => b === s.body)).toHaveLength(1);
    // The restored database holds what the backup counted.
    const counted = Number(/([\d,]+) comments/.exec(backup.output)?.[1].replace(/,/g, ''));
    expect(stored).toHaveLength(counted);
    console.log(
      `[faults] backup under load: ${before.length} comments acknowledged before it began, all restored once; ` +
        `${acknowledgedDuring} acknowledged while it copied; ${counted} comments in the copy`,
    );
  });
});
