#!/usr/bin/env node
// Before `npm start`: the build must be there, and says so if the sources changed since.
// It does not rebuild (a start never rewrites what another running process may load).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', 'BUILD');
if (!existsSync(path.join(root, 'dist', 'server', 'index.js'))) {
  process.stderr.write(
    '[start] there is no build: run `npm run build` (npm install does it too), then `npm start`.\n',
  );
  process.exit(1);
}
if (!existsSync(stamp)) process.exit(0); // an image's build: no sources to compare with

const built = statSync(stamp).mtimeMs;
function newer(dir, counts) {
  if (!existsSync(dir)) return null;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = newer(file, counts);
      if (found) return found;
    } else if (counts(entry.name) && statSync(file).mtimeMs > built) return file;
  }
  return null;
}
// The code, and the templates and files each build keeps a copy of.
const changed = [
  ...['server', 'models', 'scripts'].map((d) => newer(path.join(root, d), (name) => name.endsWith('.ts'))),
  ...['views', 'public'].map((d) => newer(path.join(root, d), () => true)),
].find(Boolean);
if (changed) {
  process.stderr.write(
    `[start] ${path.relative(root, changed)} changed after the last build: this runs the last build. ` +
      'Run `npm run build` to include the change (or `npm run dev` while working on the code).\n',
  );
}
