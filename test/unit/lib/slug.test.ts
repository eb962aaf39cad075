import { parseTags, slugify } from '../../../server/lib/slug';

describe('slugify', () => {
  it('makes readable slugs', () => {
    expect(slugify('My boss reads my email?!')).toBe('my-boss-reads-my-email');
    expect(slugify('Café “déjà vu” — don’t')).toBe('cafe-deja-vu-dont');
    expect(slugify('!!!')).toBe('');
  });
});

describe('parseTags', () => {
  it('normalizes, dedupes and drops empties', () => {
    expect(parseTags('Coworkers, Boundaries ,  job hunting, coworkers, ,')).toEqual([
      'coworkers',
      'boundaries',
      'job-hunting',
    ]);
  });
});
