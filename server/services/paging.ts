import { ValidationError } from '../errors/index.js';

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

/** Reads ?page=N (1-based); anything but a positive whole number is a 400. */
export function parsePage(raw: unknown): number {
  if (raw === undefined || raw === '') return 1;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw) || Number(raw) < 1) {
    throw new ValidationError('The page number must be a positive whole number.', {
      page: 'Not a page number.',
    });
  }
  return Number(raw);
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
