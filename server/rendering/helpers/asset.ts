import { assetUrl } from '../assets.js';

/** {{asset "/css/site.css"}}: the file's content-hashed URL, served with immutable caching. */
export function asset(urlPath: unknown): string {
  if (typeof urlPath !== 'string' || !urlPath.startsWith('/')) {
    throw new Error('asset: give a path under public/, starting with "/"');
  }
  return assetUrl(urlPath);
}
