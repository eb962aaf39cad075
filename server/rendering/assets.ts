import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from '../paths.js';

/** "/css/site.3f9a0c1b2d.css": a file under public/ named by its content, so it can be cached for good. */
export const HASHED_ASSET = /^(\/.+)\.([0-9a-f]{10})(\.[a-z0-9]+)$/;

const known = new Map<string, { mtimeMs: number; url: string }>();

/**
 * The content-hashed URL of a file under public/ (its path unchanged when there is no such file,
 * as for /socket.io/socket.io.js). Hashed once per version of the file (checked by its mtime).
 */
export function assetUrl(urlPath: string): string {
  const file = path.join(PUBLIC_DIR, path.normalize(urlPath));
  if (!file.startsWith(PUBLIC_DIR + path.sep)) return urlPath;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return urlPath;
  }
  const seen = known.get(urlPath);
  if (seen && seen.mtimeMs === mtimeMs) return seen.url;
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10);
  const ext = path.extname(urlPath);
  const url = `${urlPath.slice(0, -ext.length)}.${hash}${ext}`;
  known.set(urlPath, { mtimeMs, url });
  return url;
}
