/**
 * The Docker image cannot be built here (no base image is reachable), so this lays out what the
 * Dockerfile's final stage copies, as it copies it, and runs the operator's tools there the way
 * `docker compose exec app npm run …` would: from the compiled output, without tsx or sources.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { ROOT } from '../../setup/paths';
import '../../setup/app';

/** The final stage's COPY instructions: [from stage or null, source, destination]. */
function finalStageCopies(): [string | null, string, string][] {
  const lines = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').split('\n');
  const last = lines
    .map((l, i) => (/^FROM /.test(l) ? i : -1))
    .filter((i) => i >= 0)
    .pop()!;
  return lines
    .slice(last)
    .filter((l) => /^COPY /.test(l))
    .map((l) => {
      const parts = l.split(/\s+/).slice(1);
      const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length) ?? null;
      const [source, destination] = parts.filter((p) => !p.startsWith('--'));
      return [from, source, destination];
    });
}

describe('the production image’s layout runs the operator’s tools', () => {
  jest.setTimeout(120000);
  const app = mkdtempSync(path.join(os.tmpdir(), 'advice-image-'));
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  beforeAll(() => {
    // The build stage's compile, as the Dockerfile runs it.
    const compile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').match(/^RUN (npx tsc .*)$/m)![1];
    expect(compile).toBe('npx tsc -p tsconfig.build.json --outDir dist');
    const built = path.join(app, '.build-stage');
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', path.join(built, 'dist')], {
      cwd: ROOT,
    });
    for (const [from, source, destination] of finalStageCopies()) {
      // COPY a.json ./ puts the file into the folder.
      const target = path.join(app, destination, destination.endsWith('/') ? path.basename(source) : '');
      if (from === 'deps') symlinkSync(path.join(ROOT, 'node_modules'), target);
      else if (from === 'build')
        cpSync(path.join(built, path.relative('/app', source)), target, { recursive: true });
      else cpSync(path.join(ROOT, source), target, { recursive: true });
    }
    rmSync(built, { recursive: true, force: true });
  });

  /** `npm run …` in the laid-out image, with the environment a production container has. */
  const npmRun = (args: string[], env: Record<string, string>) =>
    spawnSync('npm', ['run', '-s', ...args], {
      cwd: app,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: os.homedir(),
        NODE_ENV: 'production',
        SESSION_SECRET: 'x'.repeat(40),
        ...env,
      },
    });

  it('holds no TypeScript sources and no tsx run: the scripts are compiled', () => {
    expect(existsSync(path.join(app, 'server'))).toBe(false);
    expect(existsSync(path.join(app, 'scripts', 'create-admin.ts'))).toBe(false);
    const scripts = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')).scripts as Record<
      string,
      string
    >;
    for (const name of ['start', 'create-admin', 'import', 'export', 'reindex', 'backup', 'restore'])
      expect(scripts[name]).toMatch(/^node dist\//);
  });

  it('npm run create-admin works there against MongoDB (MONGODB_URI), as `docker compose exec app` runs it', () => {
    const uri = `${process.env.TEST_MONGODB_URI!.replace(/\/$/, '')}/${mongoose.connection.db!.databaseName}`;
    const res = npmRun(['create-admin', '--', '--username', 'Image Admin'], {
      MONGODB_URI: uri,
      ADMIN_PASSWORD: 'a long enough password',
    });
    expect(res.stdout + res.stderr).toContain('Image Admin is an admin');
    expect(res.status).toBe(0);
  });

  it('npm run backup there says what to use with MongoDB instead of failing obscurely', () => {
    const res = npmRun(['backup'], { MONGODB_URI: 'mongodb://mongo:27017/advice' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('mongodump');
  });
});
