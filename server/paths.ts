import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root: the nearest folder above this file holding package.json (works from dist/ too). */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

/**
 * A folder of the build this code belongs to, when the build has its own copy (`npm run build`
 * copies views/ and public/ into it: a process keeps the templates and files of the code it runs,
 * whatever a later checkout or build changes); else the project's (from source, in an image).
 */
function ofThisBuild(name: string): string {
  const own = path.join(__dirname, '..', name);
  return existsSync(own) ? own : path.join(ROOT_DIR, name);
}

export const ROOT_DIR = findRoot(__dirname);
export const VIEWS_DIR = ofThisBuild('views');
export const PUBLIC_DIR = ofThisBuild('public');
