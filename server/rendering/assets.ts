import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PUBLIC_DIR } from '../paths.js';

/** "/css/site.3f9a0c1b2d.css": a file under public/ named by its content, so it can be cached for good. */
export const HASHED_ASSET = /^(\/.+)\.([0-9a-f]{10})(\.[a-z0-9]+)$/;

/** How long an answer stands before the file is looked at again (an edit shows within a second). */
const RECHECK_MS = 1000;
const known = new Map<string, { checkedAt: number; mtimeMs: number; url: string }>();

/**
 * The content-hashed URL of a file under public/ (its path unchanged when there is no such file,
 * as for /socket.io/socket.io.js). Hashed once per version of the file (checked by its mtime, at
 * most once a second: every page render asks for its stylesheet and scripts).
 */
export function assetUrl(urlPath: string): string {
  const now = Date.now();
  const seen = known.get(urlPath);
  if (seen && now - seen.checkedAt < RECHECK_MS) return seen.url;
  const file = path.join(PUBLIC_DIR, path.normalize(urlPath));
  if (!file.startsWith(PUBLIC_DIR + path.sep)) return urlPath;
  let mtimeMs = -1;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    // No such file: its path stays as it is.
  }
  let url = urlPath;
  if (seen && seen.mtimeMs === mtimeMs) url = seen.url;
  else if (mtimeMs >= 0) {
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 10);
    const ext = path.extname(urlPath);
    url = `${urlPath.slice(0, -ext.length)}.${hash}${ext}`;
  }
  // Bounded: the hashed-asset route asks about paths from requests.
  if (known.size >= 1000) known.clear();
  known.set(urlPath, { checkedAt: now, mtimeMs, url });
  return url;
}
