import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { EMBEDDED_DB_BINARY } from '../../setup/paths';

process.env.TEST_OWN_DATABASE = '1';

function serversOn(dir: string): number {
  const ps = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes('embedded-mongo serve') && l.includes(dir)).length;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('the embedded database’s lease', () => {
  jest.setTimeout(30000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-lease-'));
  let helper: ReturnType<typeof spawn> | undefined;
  afterAll(() => {
    helper?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds through the helper’s garbage collections, and ends with the process that holds it', async () => {
    // Once, the helper's lock file was left unreferenced: Go's collector closed it (a forced
    // collection comes every two minutes), the lock went with it, and the server, finding no users,
    // stopped in the middle of a 15-minute import. Here the helper collects twice a second.
    const child = spawn(EMBEDDED_DB_BINARY, ['attach', '-data', dir], {
      env: { ...process.env, EMBEDDED_MONGO_TEST_GC: '1' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    helper = child;
    let said = '';
    const uri = await new Promise<string>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        said += String(d);
        const ready = /ready (\S+)/.exec(String(d));
        if (ready) resolve(ready[1]);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 4000));
    // A lost lease shows as the server stopping and the helper starting it again ("down").
    expect(said).not.toContain('down');
    expect(serversOn(dir)).toBe(1);
    const client = await new MongoClient(`${uri}lease`, { serverSelectionTimeoutMS: 2000 }).connect();
    expect(await client.db().command({ ping: 1 })).toMatchObject({ ok: 1 });
    await client.close();

    child.stdin.end();
    expect(await until(() => serversOn(dir) === 0, 10000)).toBe(true);
  });
});
