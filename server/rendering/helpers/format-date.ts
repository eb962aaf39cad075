// {{formatDate date}} → "November 25, 2026 at 3:04 pm"; {{formatDate date "date"}} → "November 25, 2026"
const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });

export function formatDate(value: unknown, ...rest: unknown[]): string {
  if (value === null || value === undefined) return '';
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`formatDate: not a date: ${String(value)}`);
  const style = rest.length > 1 ? rest[0] : 'datetime';
  if (style === 'date') return dateFormat.format(date);
  if (style !== 'datetime') throw new Error(`formatDate: unknown style "${String(style)}"`);
  return `${dateFormat.format(date)} at ${timeFormat.format(date).toLowerCase()}`;
}
