import { fromZonedInput, toZonedInput, zoneLabel } from '../../../server/lib/zoned-time';

describe('wall-clock times in the site time zone', () => {
  it('reads a datetime-local value as that time in the zone, either side of a clock change', () => {
    expect(fromZonedInput('2031-01-15T09:30', 'America/New_York')?.toISOString()).toBe(
      '2031-01-15T14:30:00.000Z',
    );
    expect(fromZonedInput('2031-07-15T09:30', 'America/New_York')?.toISOString()).toBe(
      '2031-07-15T13:30:00.000Z',
    );
    // The morning after London's clocks go forward (30 March 2031).
    expect(fromZonedInput('2031-03-30T09:00', 'Europe/London')?.toISOString()).toBe(
      '2031-03-30T08:00:00.000Z',
    );
    expect(fromZonedInput('2031-03-29T09:00', 'Europe/London')?.toISOString()).toBe(
      '2031-03-29T09:00:00.000Z',
    );
    expect(fromZonedInput('2031-01-15T09:30:15', 'UTC')?.toISOString()).toBe('2031-01-15T09:30:15.000Z');
    expect(fromZonedInput('2031-06-01T05:45', 'Asia/Kathmandu')?.toISOString()).toBe(
      '2031-06-01T00:00:00.000Z',
    );
  });

  it('refuses what is not such a time', () => {
    expect(fromZonedInput('', 'UTC')).toBeNull();
    expect(fromZonedInput('15/01/2031 09:30', 'UTC')).toBeNull();
    expect(fromZonedInput('2031-01-15', 'UTC')).toBeNull();
    expect(fromZonedInput('2031-02-30T09:00', 'UTC')).toBeNull();
    expect(fromZonedInput('2031-13-01T09:00', 'UTC')).toBeNull();
    // 02:30 does not happen in New York on 9 March 2031 (the clocks go from 02:00 to 03:00).
    expect(fromZonedInput('2031-03-09T02:30', 'America/New_York')).toBeNull();
    expect(fromZonedInput('2031-03-30T02:30', 'Europe/Berlin')).toBeNull();
    expect(fromZonedInput('2031-03-30T01:30', 'Europe/Berlin')?.toISOString()).toBe(
      '2031-03-30T00:30:00.000Z',
    );
  });

  it('shows an instant back as the value it was typed as', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Asia/Kathmandu', 'UTC']) {
      for (const typed of ['2031-01-15T09:30', '2031-07-04T23:59', '2031-03-30T00:15']) {
        expect(toZonedInput(fromZonedInput(typed, zone)!, zone)).toBe(typed);
      }
    }
  });

  it('labels a zone with its offset at a given instant', () => {
    expect(zoneLabel('America/New_York', new Date('2031-01-15T12:00:00Z'))).toBe(
      'America/New_York (UTC−05:00)',
    );
    expect(zoneLabel('Asia/Kathmandu', new Date('2031-01-15T12:00:00Z'))).toBe('Asia/Kathmandu (UTC+05:45)');
    expect(zoneLabel('UTC')).toBe('UTC (UTC+00:00)');
  });
});
