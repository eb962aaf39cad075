// <time datetime="{{isoDate date}}">: the machine-readable timestamp.
export function isoDate(value: unknown): string {
  if (value === null || value === undefined) return '';
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) throw new Error(`isoDate: not a date: ${String(value)}`);
  return date.toISOString();
}
