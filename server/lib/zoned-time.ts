/**
 * Wall-clock times in a named time zone, for datetime-local fields: what an editor types means
 * that time where the site is, and a stored instant is shown back the same way.
 */

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
export function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** "2027-03-14T09:30" in `timeZone` → the instant, or null when the text is not such a time. */
export function fromZonedInput(text: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  if (Number.isNaN(wall)) return null;
  // The offset of the guess, then of the result: right on either side of a clock change.
  const first = wall - offsetAt(wall, timeZone);
  const instant = new Date(wall - offsetAt(first, timeZone));
  // A date that does not exist (February 30th) or a time the clocks skip (02:30 on the night they
  // go forward) does not come back as typed: refused rather than moved.
  return toZonedInput(instant, timeZone) === text.slice(0, 16) ? instant : null;
}

/** An instant as "YYYY-MM-DDTHH:MM" on the clocks of `timeZone` (a datetime-local field's value). */
export function toZonedInput(date: Date, timeZone: string): string {
  const shifted = new Date(date.getTime() + offsetAt(date.getTime(), timeZone));
  return shifted.toISOString().slice(0, 16);
}

/** The zone as people read it next to a time: "America/New_York (UTC−05:00)" at that instant. */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  const minutes = Math.round(offsetAt(at.getTime(), timeZone) / 60000);
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${timeZone} (UTC${sign}${hh}:${mm})`;
}
