import { onDisplayClock } from '../../lib/display-zone.js';

// {{formatDate date}} → "November 25, 2026 at 3:04 pm"; {{formatDate date "date"}} → "November 25, 2026",
// on the site's clocks (SITE_TIME_ZONE).
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

// Formatted by hand: it runs for every comment on a page, and Intl.DateTimeFormat is ten times slower.
export function formatDate(value: unknown, ...rest: unknown[]): string {
  if (value === null || value === undefined) return '';
  const instant = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(instant.getTime())) throw new Error(`formatDate: not a date: ${String(value)}`);
  const date = onDisplayClock(instant);
  const style = rest.length > 1 ? rest[0] : 'datetime';
  const day = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}`;
  if (style === 'date') return day;
  if (style !== 'datetime') throw new Error(`formatDate: unknown style "${String(style)}"`);
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  return `${day} at ${hours % 12 || 12}:${minutes} ${hours < 12 ? 'am' : 'pm'}`;
}
