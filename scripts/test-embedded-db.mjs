#!/usr/bin/env node
// Runs the Go tests that come with tools/embedded-mongo/patches against FerretDB's
// patched package (npm run test:db). They compare query results with and without
// the pushdown on a table of filters and check that SQLite's plans use the indexes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preparePatchedModule } from './embedded-db-patches.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const moduleDir = path.join(root, 'tools', 'embedded-mongo');
const patched = preparePatchedModule(moduleDir, (m) => process.stdout.write(`[embedded-db] ${m}\n`));
if (!patched) {
  process.stdout.write('[embedded-db] no patches, nothing to test\n');
  process.exit(0);
}
const res = spawnSync(
  'go',
  ['test', '-count=1', `-modfile=${patched.modfile}`, '-run', 'Pushdown', '-v', ...patched.testPackages],
  { cwd: moduleDir, stdio: 'inherit', env: { ...process.env, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' } },
);
process.exit(res.status ?? 1);
