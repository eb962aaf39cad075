import { RecentMap } from './recent-map.js';
import { offsetAt } from './zoned-time.js';

/**
 * The time zone the site shows times in (SITE_TIME_ZONE, an admin setting): the columnist's clocks,
 * as the editor's "publish at" field already was. One per process, set at start and when an admin
 * changes it (server/app.ts); what was rendered before is dropped then (the page cache and the
 * thread cache are cleared on that change).
 */
let zone = 'UTC';
/** The zone's offset per quarter hour (every zone changes its clocks on one). */
const offsets = new RecentMap<number, number>(20000);
const QUARTER_HOUR = 15 * 60000;

/** Sets the zone; one this Node does not know (a hand-edited or restored setting) shows UTC instead. */
export function setDisplayZone(timeZone: string): void {
  let known = timeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone }).format(0);
  } catch {
    known = 'UTC';
  }
  if (known === zone) return;
  zone = known;
  offsets.clear();
}

export function displayZone(): string {
  return zone;
}

/** The instant moved so that its UTC fields read as the site's wall clock then. */
export function onDisplayClock(date: Date): Date {
  if (zone === 'UTC') return date;
  const quarter = Math.floor(date.getTime() / QUARTER_HOUR);
  const offset = offsets.remember(quarter, () => offsetAt(quarter * QUARTER_HOUR, zone));
  return new Date(date.getTime() + offset);
}
