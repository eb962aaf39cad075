/** How a thread's top-level comments are ordered (replies are always oldest first): most liked first for top. */
export type TreeOrder = 'oldest' | 'newest' | 'top';

/** Where a post's thread is read: its page of comments and order in the query, a fragment if given. */
export function threadUrl(slug: string, where: { page?: number; order?: TreeOrder } = {}, hash = ''): string {
  return `/posts/${slug}${threadQuery(where, '?')}${hash ? `#${hash}` : ''}`;
}

/** "?page=2&order=newest" or "&order=top" (or with another lead), '' for the first page oldest first. */
export function threadQuery(where: { page?: number; order?: TreeOrder }, lead = '?'): string {
  const query = new URLSearchParams();
  if (where.page && where.page > 1) query.set('page', String(where.page));
  if (where.order && where.order !== 'oldest') query.set('order', where.order);
  return query.size ? `${lead}${query}` : '';
}
