/**
 * The key an old address is stored and looked up under: its path, decoded, lowercased, without a
 * trailing slash, `index.php`, a `comment-page-N` or `amp` suffix; `?p=123`-style addresses by their
 * id. Null for what cannot be an old post's address.
 */
export function legacyPathKey(pathname: string, search = ''): string | null {
  const query = new URLSearchParams(search);
  for (const name of ['p', 'page_id']) {
    const id = query.get(name);
    if (id && /^\d+$/.test(id)) return `?p=${id}`;
  }
  if (pathname.length > 1000) return null;
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  path = path
    .toLowerCase()
    .replace(/\/index\.php(?=\/|$)/, '')
    .replace(/\/(?:comment-page-\d+|amp)\/?$/, '');
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end -= 1;
  path = path.slice(0, end);
  return path && path.length <= 300 ? path : null;
}
