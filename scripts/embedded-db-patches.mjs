// Applies tools/embedded-mongo/patches/*.patch to FerretDB as the Go module proxy
// serves it, the way patch-package does for npm: the module in Go's cache is left
// untouched; patched copies of the files it changes go to tools/embedded-mongo/build/,
// and a `go build -overlay` file maps each original path to its patched copy.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';

function run(cmd, args, options) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (res.error) {
    const missing =
      res.error.code === 'ENOENT' ? ` (is \`${cmd}\` installed? e.g. apt-get install ${cmd})` : '';
    throw new Error(`${cmd} could not run: ${res.error.message}${missing}`);
  }
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${res.stdout}${res.stderr}`);
  return res.stdout;
}

/** Where Go keeps FerretDB's source (downloaded through the module proxy if it is not there yet). */
export function ferretdbSourceDir(moduleDir) {
  const info = JSON.parse(run('go', ['mod', 'download', '-json', FERRETDB_MODULE], { cwd: moduleDir }));
  if (!info.Dir) throw new Error(`go mod download gave no directory for ${FERRETDB_MODULE}`);
  return info.Dir;
}

export function patchFiles(moduleDir) {
  const dir = path.join(moduleDir, 'patches');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.patch'))
        .sort()
        .map((f) => path.join(dir, f))
    : [];
}

/** The files a unified diff touches, relative to the module root (new files included). */
function touchedFiles(patchText) {
  return [...patchText.matchAll(/^\+\+\+ b\/(\S+)/gm)].map((m) => m[1]);
}

/**
 * Copies FerretDB's module into tools/embedded-mongo/build/ferretdb, applies the
 * patches there and writes build/go.mod: our go.mod plus a `replace` pointing at
 * the patched copy, for `go build -modfile` and `go test -modfile`. Go refuses
 * overlays on its module cache, and a replace in the committed go.mod would point
 * at a directory that only the build creates. Upstream tests in the directories
 * a patch touches are dropped from the copy: they need modules the build does not
 * (testify…), and the patch brings its own, written with the standard library.
 */
export function preparePatchedModule(moduleDir, log = () => {}) {
  const patches = patchFiles(moduleDir);
  const buildDir = path.join(moduleDir, 'build');
  const patchedRoot = path.join(buildDir, 'ferretdb');
  rmSync(buildDir, { recursive: true, force: true });
  if (patches.length === 0) return null;

  const source = ferretdbSourceDir(moduleDir);
  mkdirSync(buildDir, { recursive: true });
  cpSync(source, patchedRoot, { recursive: true });
  run('chmod', ['-R', 'u+w', patchedRoot]); // Go's module cache is read-only
  // The file FerretDB's release process generates, absent from the module: without it a test
  // binary of FerretDB's own packages panics at start (the embedded server never reads it).
  writeFileSync(path.join(patchedRoot, 'build', 'version', 'version.txt'), 'v1.24.2\n');

  const testedDirs = new Set();
  for (const patch of patches) {
    for (const rel of touchedFiles(readFileSync(patch, 'utf8'))) {
      const dir = path.join(patchedRoot, path.dirname(rel));
      if (!testedDirs.has(dir) && existsSync(dir)) {
        for (const f of readdirSync(dir)) if (f.endsWith('_test.go')) rmSync(path.join(dir, f));
      }
      testedDirs.add(dir);
    }
    log(`applying ${path.basename(patch)}`);
    run('patch', ['-p1', '--forward', '--batch', '--no-backup-if-mismatch', '-d', patchedRoot, '-i', patch]);
  }

  const modfile = path.join(buildDir, 'go.mod');
  const goMod = readFileSync(path.join(moduleDir, 'go.mod'), 'utf8');
  writeFileSync(
    modfile,
    `${goMod}
replace ${FERRETDB_MODULE} => ${patchedRoot}
`,
  );
  copyFileSync(path.join(moduleDir, 'go.sum'), path.join(buildDir, 'go.sum'));
  return {
    modfile,
    testPackages: [...testedDirs].map((dir) => `${FERRETDB_MODULE}/${path.relative(patchedRoot, dir)}`),
  };
}
