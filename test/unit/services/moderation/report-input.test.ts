import { ValidationError } from '../../../../server/errors';
import {
  checkReport,
  countByCategory,
  REPORT_CHOICES,
} from '../../../../server/services/moderation/report-input';

describe("a reader's report", () => {
  it('takes a category, with words optional except for "something else"', () => {
    expect(checkReport({ category: 'spam', reason: '' })).toEqual({ category: 'spam', reason: '' });
    expect(checkReport({ category: 'abuse', reason: '  Name-calling ' })).toEqual({
      category: 'abuse',
      reason: 'Name-calling',
    });
    expect(checkReport({ category: 'other', reason: 'Wrong thread' })).toEqual({
      category: 'other',
      reason: 'Wrong thread',
    });
    // Words alone, as forms before categories sent them: "something else".
    expect(checkReport({ category: '', reason: 'Rude' })).toEqual({ category: 'other', reason: 'Rude' });
  });

  it('ties each refusal to its field', () => {
    const details = (input: { category: string; reason: string }) => {
      try {
        checkReport(input);
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as ValidationError).details;
      }
      throw new Error('accepted');
    };
    expect(details({ category: '', reason: '' })).toHaveProperty('category');
    expect(details({ category: 'nonsense', reason: 'x' })).toHaveProperty('category');
    expect(details({ category: 'other', reason: '   ' })).toHaveProperty('reason');
    expect(details({ category: 'spam', reason: 'x'.repeat(501) })).toHaveProperty('reason');
  });

  it('offers every category with a label, "something else" last', () => {
    expect(REPORT_CHOICES.map((c) => c.value)).toEqual([
      'spam',
      'abuse',
      'off-topic',
      'personal-info',
      'other',
    ]);
    expect(REPORT_CHOICES.every((c) => c.label.length > 0)).toBe(true);
  });

  it('counts reports by category, most reported first, old ones as "something else"', () => {
    expect(countByCategory([{ category: 'spam' }, { category: null }, { category: 'spam' }, {}])).toEqual([
      { category: 'spam', label: 'Spam or advertising', count: 2 },
      { category: 'other', label: 'Something else', count: 2 },
    ]);
  });
});
