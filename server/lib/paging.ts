export interface Paging {
  page: number;
  perPage: number;
  /** Unknown (null) for lists read a page at a time without counting them. */
  total: number | null;
  totalPages: number | null;
  /** More than one page: show the page links. */
  multiple: boolean;
  hasPrevious: boolean;
  hasNext: boolean;
  previousPage: number;
  nextPage: number;
}

export function paging(page: number, perPage: number, total: number): Paging {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    page,
    perPage,
    total,
    totalPages,
    multiple: totalPages > 1,
    hasPrevious: page > 1,
    hasNext: page < totalPages,
    previousPage: page - 1,
    nextPage: page + 1,
  };
}

/** Paging for a list read newest first a page at a time, which knows only whether more follow. */
export function openPaging(page: number, perPage: number, hasNext: boolean): Paging {
  return {
    page,
    perPage,
    total: null,
    totalPages: null,
    multiple: page > 1 || hasNext,
    hasPrevious: page > 1,
    hasNext,
    previousPage: page - 1,
    nextPage: page + 1,
  };
}

/**
 * One page of a list read newest first by _id from a cursor, given the rows read with one more than
 * a page (`limit(perPage + 1)`): the page, and the _id to read the next page from (null on the last).
 */
export function keysetPage<T extends { _id: unknown }>(
  rows: T[],
  perPage: number,
): { items: T[]; older: string | null } {
  const items = rows.slice(0, perPage);
  return { items, older: rows.length > perPage ? String(items[items.length - 1]._id) : null };
}
