import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../setup/paths';

/** Runs the real entry point, server/index.ts, as `npm start` would (through tsx). */
function boot(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('server boot', () => {
  jest.setTimeout(60000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'advice-boot-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a bad PORT with a message naming the variable', async () => {
    const server = boot({ PORT: 'eighty', DATA_DIR: dataDir });
    expect(await server.exited).toBe(78);
    expect(server.output().stderr).toContain('PORT must be a whole number');
  });

  it('starts the embedded database, serves the home page and shuts down cleanly on SIGTERM', async () => {
    const server = boot({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_ON_EMPTY: 'false' });
    const deadline = Date.now() + 45000;
    let port: number | undefined;
    while (!port && Date.now() < deadline) {
      const match = /"port":(\d+)/.exec(server.output().stdout);
      if (match) port = Number(match[1]);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(port).toBeDefined();

    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<main id="main"');
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const stopping = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10000);
    expect(server.output().stdout).toContain('shutdown complete');
  });
});
