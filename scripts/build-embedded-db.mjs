#!/usr/bin/env node
// Builds the embedded FerretDB binary (tools/embedded-mongo) with the local Go
// toolchain. Runs from `npm install` (postinstall) and `npm run build:db`.
//
// It skips the build when the binary is newer than its sources, so repeated
// installs are quick. Without Go it explains the two ways out and exits 0, so
// that installs for a real MongoDB (MONGODB_URI) still succeed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { patchFiles, preparePatchedModule } from './embedded-db-patches.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const moduleDir = path.join(root, 'tools', 'embedded-mongo');
const binary = path.join(moduleDir, 'bin', 'embedded-mongo');
const sources = [
  ...readdirSync(moduleDir)
    .filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum')
    .map((f) => path.join(moduleDir, f)),
  ...patchFiles(moduleDir),
  fileURLToPath(import.meta.url),
  fileURLToPath(new URL('./embedded-db-patches.mjs', import.meta.url)),
];
const force = process.argv.includes('--force');

function say(message) {
  process.stdout.write(`[embedded-db] ${message}\n`);
}

function upToDate() {
  if (!existsSync(binary)) return false;
  const built = statSync(binary).mtimeMs;
  return sources.every((f) => statSync(f).mtimeMs <= built);
}

if (process.env.SKIP_EMBEDDED_DB_BUILD === '1') {
  say('SKIP_EMBEDDED_DB_BUILD=1: not building the embedded database.');
  process.exit(0);
}

if (!force && upToDate()) {
  say(`already built: ${path.relative(root, binary)}`);
  process.exit(0);
}

const goCheck = spawnSync('go', ['version'], { encoding: 'utf8' });
if (goCheck.error || goCheck.status !== 0) {
  say('Go was not found, so the embedded database (FerretDB) cannot be built.');
  say('Two ways out:');
  say('  1. install Go 1.24 or newer (https://go.dev/doc/install), then run `npm run build:db`;');
  say('  2. or set MONGODB_URI to a MongoDB server you run yourself; nothing is embedded then.');
  process.exit(0);
}

say(`building FerretDB v1.24.2 with ${goCheck.stdout.trim()}`);
say('the first build downloads Go modules and compiles SQLite; it takes a few minutes...');
const started = Date.now();
const ticker = setInterval(() => {
  say(`still building (${Math.round((Date.now() - started) / 1000)} s)...`);
}, 15000);

let patched;
try {
  patched = preparePatchedModule(moduleDir, say);
} catch (err) {
  clearInterval(ticker);
  say(`could not apply the FerretDB patches: ${err.message}`);
  process.exit(1);
}
const modfileArgs = patched ? [`-modfile=${patched.modfile}`] : [];
const child = spawn('go', ['build', '-mod=readonly', '-trimpath', ...modfileArgs, '-o', binary, '.'], {
  cwd: moduleDir,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
});
child.on('exit', (code) => {
  clearInterval(ticker);
  if (code !== 0) {
    say(`go build failed (exit ${code}). Fix the error above, or set MONGODB_URI to use your own MongoDB.`);
    process.exit(code ?? 1);
  }
  say(`built ${path.relative(root, binary)} in ${Math.round((Date.now() - started) / 1000)} s`);
});
