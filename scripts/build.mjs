#!/usr/bin/env node
// npm run build (and the end of npm install): compiles the TypeScript once, for `npm start` and the
// operator's scripts (`node dist/...`). A build never rewrites files a running process may load:
// it compiles into a new folder under .builds/, then points dist at it in one step (a symlink
// swapped by rename). Processes already running keep the folder they started from; the two
// newest builds are kept, older ones deleted.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builds = path.join(root, '.builds');
const dist = path.join(root, 'dist');
const KEEP = 2;

function say(message) {
  process.stdout.write(`[build] ${message}\n`);
}

if (process.env.SKIP_BUILD === '1') {
  say('SKIP_BUILD=1: not compiling.');
  process.exit(0);
}
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  say('TypeScript is not installed (npm install without --omit=dev installs it); not compiling.');
  process.exit(process.argv.includes('--if-possible') ? 0 : 1);
}

const started = Date.now();
const id =
  new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d+)Z$/, '$1Z') + `-${process.pid}`;
const out = path.join(builds, id);
mkdirSync(builds, { recursive: true });
say(`compiling the TypeScript into .builds/${id} ...`);
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) {
  rmSync(out, { recursive: true, force: true });
  say('the TypeScript did not compile (errors above); dist still points at the last good build.');
  process.exit(result.status ?? 1);
}
// The templates and static files go with the code that uses them: a process started from this build
// never meets templates that need newer code (a checkout updated under a running site).
for (const folder of ['views', 'public'])
  cpSync(path.join(root, folder), path.join(out, folder), { recursive: true });
writeFileSync(path.join(out, 'BUILD'), `${new Date().toISOString()}\n`);

// An older checkout's dist was a plain folder: set it aside as a build of its own.
if (existsSync(dist) && !lstatSync(dist).isSymbolicLink()) renameSync(dist, path.join(builds, `old-${id}`));
const link = path.join(root, `.dist-${process.pid}`);
rmSync(link, { force: true });
symlinkSync(path.relative(root, out), link);
renameSync(link, dist); // atomic: a process starting now gets the old build or the new one, whole

// Newest first by time, whatever their names (an older checkout's dist set aside is the oldest).
const kept = readdirSync(builds)
  .map((name) => ({ name, at: statSync(path.join(builds, name)).mtimeMs }))
  .sort((a, b) => b.at - a.at);
for (const old of kept.slice(KEEP)) rmSync(path.join(builds, old.name), { recursive: true, force: true });
say(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: dist -> .builds/${id}`);
