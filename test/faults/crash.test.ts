/**
 * Faults on the real stack: the server as `npm start` runs it (server/index.ts, its own embedded
 * database on a data directory), killed in the middle of posting. Every comment a client was told
 * was posted (a 303) must be there exactly once afterwards, and nothing may be left running.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDb, withDatabase } from '../../server/db/embedded';
import { EMBEDDED_DB_BINARY } from '../setup/paths';
import { ROOT } from '../setup/paths';
import { startServerProcess, type ServerProcess } from '../setup/server-process';

const SLUG = 'coworker-takes-credit';
const FIXTURE = path.join(ROOT, 'test/fixtures/import/wordpress.xml');

function env(dataDir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: os.homedir(),
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_ON_EMPTY: 'false',
    COMMENT_INTERVAL_SECONDS: '0',
    LOG_LEVEL: 'info',
    SITE_URL: 'http://127.0.0.1',
  };
}

function boot(dataDir: string): Promise<ServerProcess> {
  return startServerProcess({ DATA_DIR: dataDir, COMMENT_INTERVAL_SECONDS: '0' });
}

/** Pids of embedded database processes on this data directory: its server, and each process's attached helper. */
function databasesOn(dataDir: string, kind: 'serve' | 'attach' | 'any' = 'any'): number[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .filter((line) => line.includes('embedded-mongo') && line.includes(dataDir))
    .filter((line) => kind === 'any' || line.includes(`embedded-mongo ${kind} `))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** A guest writer: reads the page once (its form token), then posts comments with unique texts. */
async function writer(url: string, name: string) {
  const page = await (await fetch(`${url}/posts/${SLUG}`)).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  let n = 0;
  return async (): Promise<{ status: number; body: string; ms: number }> => {
    n += 1;
    const body = `${name} comment ${n}`;
    const started = Date.now();
    const res = await fetch(`${url}/posts/${SLUG}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, name, body, parent: '' }),
      redirect: 'manual',
    }).catch(() => ({ status: 0 }) as Response);
    return { status: res.status, body, ms: Date.now() - started };
  };
}

/** The comments stored on the test post, read straight from the data directory's database. */
async function storedBodies(dataDir: string): Promise<string[]> {
  const db = await startEmbeddedDb({ binary: EMBEDDED_DB_BINARY, dataDir });
  const connection = await mongoose.createConnection(withDatabase(db.uri, 'advice')).asPromise();
  try {
    const post = await connection.collection('posts').findOne({ slug: SLUG });
    const comments = await connection.collection('comments').find({ post: post!._id }).toArray();
    return comments.map((c) => String(c.bodySource));
  } finally {
    await connection.close();
    await db.stop();
  }
}

function importFixture(dataDir: string): void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/import.ts', 'wordpress', FIXTURE], {
    cwd: ROOT,
    env: env(dataDir),
    stdio: 'ignore',
  });
}

describe('faults: processes killed while readers post', () => {
  jest.setTimeout(120000);
  const dirs: string[] = [];
  const running: ChildProcess[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-fault-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    running.forEach((child) => child.kill('SIGKILL'));
    dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true, maxRetries: 50, retryDelay: 100 }));
  });

  // This case found a hang in the MongoDB driver (a write on a socket the database's death had
  // destroyed waited for ever; about one run in two): fixed in server/db/driver-fix.ts.
  it('the embedded database killed under load: fast 503s, back by itself, every acknowledged comment there once', async () => {
    const dir = dataDir();
    importFixture(dir);
    const server = await boot(dir);
    running.push(server.child);
    const writers = await Promise.all([1, 2, 3].map((i) => writer(server.url, `Writer ${i}`)));
    const results: { status: number; body: string; ms: number }[] = [];
    let killed = false;
    const stopAt = Date.now() + 8000;
    await Promise.all(
      writers.map(async (send, i) => {
        while (Date.now() < stopAt) {
          if (i === 0 && !killed && results.length >= 15) {
            killed = true;
            for (const pid of databasesOn(dir, 'serve')) process.kill(pid, 'SIGKILL');
          }
          results.push(await send());
        }
      }),
    );
    expect(killed).toBe(true);
    const acknowledged = results.filter((r) => r.status === 303);
    const refused = results.filter((r) => r.status !== 303);
    const statuses = [...new Set(refused.map((r) => r.status))].join(', ');
    // Refusals while it was away were quick 503s, never hangs or 500s.
    expect(statuses === '' || statuses === '503').toBe(true);
    expect(refused.every((r) => r.ms < 5000)).toBe(true);
    // It came back by itself, and posting works again.
    expect(await waitFor(async () => (await fetch(`${server.url}/readyz`)).status === 200, 30000)).toBe(true);
    expect((await (await writer(server.url, 'After'))()).status).toBe(303);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const stored = await storedBodies(dir);
    for (const r of acknowledged) expect(stored.filter((b) => b === r.body)).toHaveLength(1);
    console.log(
      `[faults] database killed: ${results.length} posts sent, ${acknowledged.length} acknowledged, ` +
        `${refused.length} refused with 503, ${acknowledged.length} of ${acknowledged.length} found once afterwards`,
    );
  });

  it('the app killed with SIGKILL mid-write: its database stops too, a restart finds every acknowledged comment', async () => {
    const dir = dataDir();
    importFixture(dir);
    const server = await boot(dir);
    running.push(server.child);
    expect(databasesOn(dir, 'serve')).toHaveLength(1);
    const send = await writer(server.url, 'Killed');
    const acknowledged: string[] = [];
    const sending = (async () => {
      for (;;) {
        const r = await send();
        if (r.status === 303) acknowledged.push(r.body);
        else if (r.status === 0) return;
      }
    })();
    await waitFor(() => acknowledged.length >= 10, 20000);
    server.child.kill('SIGKILL');
    await sending;
    // No orphan: the helper notices its parent is gone, and the server that nobody uses stops.
    expect(await waitFor(() => databasesOn(dir).length === 0, 10000)).toBe(true);

    const again = await boot(dir);
    running.push(again.child);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    const stored = await storedBodies(dir);
    for (const body of acknowledged) expect(stored.filter((b) => b === body)).toHaveLength(1);
    console.log(`[faults] app killed: ${acknowledged.length} acknowledged, all found once after a restart`);
  });

  it('a second web process on the same data directory attaches to the same database; it stops after the last one', async () => {
    const dir = dataDir();
    importFixture(dir);
    const first = await boot(dir);
    running.push(first.child);
    const second = await boot(dir);
    running.push(second.child);
    expect(databasesOn(dir, 'serve')).toHaveLength(1);
    expect(databasesOn(dir, 'attach')).toHaveLength(2);

    const sent = await (await writer(first.url, 'Through the first'))();
    expect(sent.status).toBe(303);
    const page = await (await fetch(`${second.url}/posts/${SLUG}`)).text();
    expect(page).toContain(sent.body);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // The second still serves: the database outlives the process that started it while it is used.
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    expect((await (await writer(second.url, 'Through the second'))()).status).toBe(303);
    expect(databasesOn(dir, 'serve')).toHaveLength(1);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await waitFor(() => databasesOn(dir).length === 0, 10000)).toBe(true);
  });
});
