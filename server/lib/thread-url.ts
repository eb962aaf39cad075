/** Where a post's thread is read: its page of comments and order in the query, a fragment if given. */
export function threadUrl(
  slug: string,
  where: { page?: number; order?: 'oldest' | 'newest' } = {},
  hash = '',
): string {
  return `/posts/${slug}${threadQuery(where, '?')}${hash ? `#${hash}` : ''}`;
}

/** "?page=2&order=newest" (or with another lead), '' for the first page oldest first. */
export function threadQuery(where: { page?: number; order?: 'oldest' | 'newest' }, lead = '?'): string {
  const query = new URLSearchParams();
  if (where.page && where.page > 1) query.set('page', String(where.page));
  if (where.order === 'newest') query.set('order', 'newest');
  return query.size ? `${lead}${query}` : '';
}
