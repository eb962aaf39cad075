/**
 * The operator's tools against a running site, as the README's Quick start has them: `npm start`
 * in one terminal, each script in another, on the same DATA_DIR. The site is the real entry point
 * (server/index.ts) in its own process; the scripts attach to its embedded database.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../setup/paths';
import { runScriptProcess } from '../../setup/script-process';
import { startServerProcess, type ServerProcess } from '../../setup/server-process';

process.env.TEST_OWN_DATABASE = '1';

const FIXTURE = path.join(ROOT, 'test/fixtures/import/wordpress.xml');
const SLUG = 'coworker-takes-credit';

/** Signs in through the site's form; true when the site accepts the password. */
async function signIn(url: string, username: string, password: string): Promise<boolean> {
  const form = await fetch(`${url}/login`);
  const cookie = (form.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: token, username, password }),
    redirect: 'manual',
  });
  return [302, 303].includes(res.status) && !String(res.headers.get('location')).includes('/login');
}

/** TCP sockets in LISTEN state owned by a process (from /proc: its socket inodes against /proc/net/tcp*). */
function listeningTcpPorts(pid: number): number[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return /^socket:\[(\d+)\]$/.exec(readlinkSafe(`/proc/${pid}/fd/${fd}`))?.[1];
        } catch {
          return undefined;
        }
      })
      .filter(Boolean),
  );
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      if (cols[3] === '0A' && inodes.has(cols[9])) ports.push(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports;
}

function readlinkSafe(p: string): string {
  return execFileSync('readlink', [p], { encoding: 'utf8' }).trim();
}

function serverPid(dir: string): number {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const line = ps.split('\n').find((l) => l.includes('embedded-mongo serve') && l.includes(dir));
  if (!line) throw new Error(`no embedded database server on ${dir}`);
  return Number(line.trim().split(/\s+/)[0]);
}

describe('the operator’s scripts work on a running site (one DATA_DIR, one database)', () => {
  jest.setTimeout(120000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-ops-'));
  const out = mkdtempSync(path.join(os.tmpdir(), 'advice-ops-out-'));
  const env = { DATA_DIR: dir, BACKUP_DIR: path.join(out, 'backups') };
  let site: ServerProcess;

  beforeAll(async () => {
    site = await startServerProcess({ DATA_DIR: dir });
  });

  afterAll(async () => {
    site?.child.kill('SIGKILL');
    // The killed site's database stops a moment later (nobody uses it): retry while it lets go.
    rmSync(dir, { recursive: true, force: true, maxRetries: 50, retryDelay: 100 });
    rmSync(out, { recursive: true, force: true });
  });

  it('create-admin makes the first admin, who can sign in on the running site at once', async () => {
    const made = await runScriptProcess('create-admin', ['--username', 'Operator'], {
      ...env,
      ADMIN_PASSWORD: 'a long enough password',
    });
    expect(made.output).toContain('Operator is an admin');
    expect(made.code).toBe(0);
    expect(await signIn(site.url, 'Operator', 'a long enough password')).toBe(true);
    expect(await signIn(site.url, 'Operator', 'not the password at all')).toBe(false);
  });

  it('import writes into the running site’s database; the site serves what it imported', async () => {
    const imported = await runScriptProcess(
      'import',
      ['wordpress', FIXTURE, '--report', path.join(out, 'report')],
      env,
    );
    expect(imported.code).toBe(0);
    expect(imported.output).toMatch(/\[import\] done in/);
    const page = await fetch(`${site.url}/posts/${SLUG}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('credit');
  });

  it('export writes every post and comment while the site runs', async () => {
    const file = path.join(out, 'export.xml');
    const exported = await runScriptProcess('export', ['wordpress', file], env);
    expect(exported.code).toBe(0);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain('<wp:post_name><![CDATA[coworker-takes-credit]]></wp:post_name>');
    expect(xml).toContain('<wp:comment>');
  });

  it('reindex rebuilds the search index while the site runs; the site’s search finds the imported post', async () => {
    const reindexed = await runScriptProcess('reindex', [], env);
    expect(reindexed.code).toBe(0);
    const res = await fetch(`${site.url}/api/search?q=credit`);
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { title?: string }[] };
    expect(results.length).toBeGreaterThan(0);
  });

  it('backup writes a checked copy while the site runs; restore refuses while it runs', async () => {
    const backedUp = await runScriptProcess('backup', [], env);
    expect(backedUp.code).toBe(0);
    expect(backedUp.output).toContain('integrity ok');
    expect(backedUp.output).toMatch(/\d+ posts, \d+ comments, \d+ users/);
    const [file] = readdirSync(env.BACKUP_DIR).filter((name) => name.endsWith('.sqlite'));
    expect(file).toMatch(/^advice-\d{8}T\d{6}Z\.sqlite$/);
    // It holds password hashes: the owner's alone.
    expect(statSync(path.join(env.BACKUP_DIR, file)).mode & 0o077).toBe(0);
    expect(statSync(env.BACKUP_DIR).mode & 0o077).toBe(0);

    const refused = await runScriptProcess('restore', [path.join(env.BACKUP_DIR, file)], env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('is using');
    expect((await fetch(`${site.url}/readyz`)).status).toBe(200);
  });

  it('the database listens on no TCP port, only on a socket in the data directory, which is the owner’s alone', async () => {
    const pid = serverPid(dir);
    expect(listeningTcpPorts(pid)).toEqual([]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, '.embedded-mongo.sock')).isSocket()).toBe(true);
    expect(statSync(path.join(dir, '.embedded-mongo.sock')).mode & 0o077).toBe(0);
  });

  const root = process.getuid?.() === 0;
  // Only root can act as another local user here; CI runs as root.
  (root ? it : it.skip)('another local user cannot connect to the database’s socket', () => {
    const probe = `require('net').connect(${JSON.stringify(path.join(dir, '.embedded-mongo.sock'))})
      .on('connect', () => { console.log('connected'); process.exit(0); })
      .on('error', (e) => { console.log(e.code); process.exit(0); });`;
    const res = spawnSync(process.execPath, ['-e', probe], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      cwd: '/',
    });
    expect(res.stdout.trim()).toBe('EACCES');
    // The same probe as the owner connects: the refusal is the directory's mode, not a dead socket.
    const own = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(own.stdout.trim()).toBe('connected');
  });

  it('after the site stops, restore puts the backup back and the restarted site serves the same posts', async () => {
    const before = await (await fetch(`${site.url}/posts/${SLUG}`)).text();
    const comments = (before.match(/class="comment[ "]/g) ?? []).length;
    site.child.kill('SIGTERM');
    expect(await site.exited).toBe(0);
    // A file that is not a backup is refused before anything is touched.
    const notABackup = path.join(out, 'notes.txt');
    writeFileSync(notABackup, 'not a database');
    const refused = await runScriptProcess('restore', [notABackup], env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('cannot be restored');
    expect(readdirSync(dir).filter((name) => name.includes('before-restore'))).toEqual([]);

    const [file] = readdirSync(env.BACKUP_DIR).filter((name) => name.endsWith('.sqlite'));
    const restored = await runScriptProcess('restore', [path.join(env.BACKUP_DIR, file)], env);
    expect(restored.code).toBe(0);
    expect(restored.output).toContain('the database it replaced is kept as');

    site = await startServerProcess({ DATA_DIR: dir });
    const after = await (await fetch(`${site.url}/posts/${SLUG}`)).text();
    expect((after.match(/class="comment[ "]/g) ?? []).length).toBe(comments);
    expect(comments).toBeGreaterThan(0);
    expect(await signIn(site.url, 'Operator', 'a long enough password')).toBe(true);
  });
});
