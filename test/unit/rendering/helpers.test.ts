import { auditHref } from '../../../server/rendering/helpers/audit-href';
import { eq } from '../../../server/rendering/helpers/eq';
import { formatDate } from '../../../server/rendering/helpers/format-date';
import { setDisplayZone } from '../../../server/lib/display-zone';
import { isoDate } from '../../../server/rendering/helpers/iso-date';
import { percent } from '../../../server/rendering/helpers/percent';
import { pluralize } from '../../../server/rendering/helpers/pluralize';

const options = {};

describe('helpers', () => {
  it('formatDate writes dates the way readers say them (UTC)', () => {
    expect(formatDate(new Date('2026-11-25T15:04:00Z'), options)).toBe('November 25, 2026 at 3:04 pm');
    expect(formatDate(new Date('2026-01-02T00:09:00Z'), options)).toBe('January 2, 2026 at 12:09 am');
    expect(formatDate(new Date('2026-07-04T12:00:00Z'), options)).toBe('July 4, 2026 at 12:00 pm');
    expect(formatDate('2026-03-01T08:00:00Z', 'date', options)).toBe('March 1, 2026');
    expect(formatDate(null, options)).toBe('');
    expect(() => formatDate('not a date', options)).toThrow(/not a date/);
    expect(() => formatDate(new Date(), 'fancy', options)).toThrow(/unknown style/);
  });

  it('formatDate shows times on the site’s clocks (SITE_TIME_ZONE), summer and winter', () => {
    setDisplayZone('America/New_York');
    try {
      // 4:54 am in London is the evening before in New York (UTC−5 in December, −4 in July).
      expect(formatDate(new Date('2026-12-08T04:54:00Z'), options)).toBe('December 7, 2026 at 11:54 pm');
      expect(formatDate(new Date('2026-07-04T16:30:00Z'), options)).toBe('July 4, 2026 at 12:30 pm');
      expect(formatDate(new Date('2026-12-08T04:54:00Z'), 'date', options)).toBe('December 7, 2026');
      // The night the clocks go back (November 1, 2026, 2:00 → 1:00): both 1:30s are shown as such.
      expect(formatDate(new Date('2026-11-01T05:30:00Z'), options)).toBe('November 1, 2026 at 1:30 am');
      expect(formatDate(new Date('2026-11-01T06:30:00Z'), options)).toBe('November 1, 2026 at 1:30 am');
      setDisplayZone('Asia/Kolkata'); // half an hour off the hour
      expect(formatDate(new Date('2026-12-08T04:54:00Z'), options)).toBe('December 8, 2026 at 10:24 am');
    } finally {
      setDisplayZone('UTC');
    }
    expect(formatDate(new Date('2026-12-08T04:54:00Z'), options)).toBe('December 8, 2026 at 4:54 am');
    // A zone this Node does not know (a restored or hand-edited setting): UTC, not a 500 on every page.
    setDisplayZone('Mars/Olympus_Mons');
    expect(formatDate(new Date('2026-12-08T04:54:00Z'), options)).toBe('December 8, 2026 at 4:54 am');
    setDisplayZone('UTC');
  });

  it('isoDate, pluralize and eq', () => {
    expect(isoDate(new Date('2026-11-25T15:04:00Z'))).toBe('2026-11-25T15:04:00.000Z');
    expect(pluralize(1, 'comment', 'comments', options)).toBe('1 comment');
    expect(pluralize(1200, 'comment', 'comments', options)).toBe('1,200 comments');
    expect(() => pluralize('3', 'a', 'b', options)).toThrow(/usage/);
    expect(eq('a', 'a', options)).toBe(true);
    expect(() => eq('a', options)).toThrow(/usage/);
  });

  it('percent rounds a share and says n/a for a missing figure', () => {
    expect(percent(0.934, options)).toBe('93%');
    expect(percent(1, options)).toBe('100%');
    expect(percent(null, options)).toBe('n/a');
    expect(() => percent('93', options)).toThrow(/usage/);
  });

  it('auditHref links an audit entry to what it names', () => {
    expect(auditHref('comment', 'abc', options)).toBe('/moderation/comments/abc');
    expect(auditHref('post', 'p1', options)).toBe('/editor/posts/p1/edit');
    expect(auditHref('user', 'u1', options)).toBe('/moderation/commenter?user=u1');
    expect(auditHref('email', 'a+b@example.com', options)).toBe(
      '/moderation/commenter?email=a%2Bb%40example.com',
    );
    expect(auditHref('settings', '', options)).toBe('');
    expect(auditHref('something', 'x', options)).toBe('');
    expect(() => auditHref('comment', options)).toThrow(/usage/);
  });
});
