import { REPORT_CATEGORIES, type ReportCategory } from '../../../models/report.js';
import { ValidationError } from '../../errors/index.js';

/** What each category is called where readers pick it and where moderators count it. */
export const REPORT_CATEGORY_LABELS: Record<ReportCategory, string> = {
  spam: 'Spam or advertising',
  abuse: 'Abuse or harassment',
  'off-topic': 'Off topic',
  'personal-info': 'Personal information',
  other: 'Something else',
};

/** The categories in the order the report form offers them, with their labels. */
export const REPORT_CHOICES = REPORT_CATEGORIES.map((value) => ({
  value,
  label: REPORT_CATEGORY_LABELS[value],
}));

/**
 * A reader's report as typed: a category, and words of their own (required for "other", where the
 * category alone says nothing). Errors name the field they belong to.
 */
export function checkReport(input: { category: string; reason: string }): {
  category: ReportCategory;
  reason: string;
} {
  const reason = input.reason.trim();
  // Words without a category (a form from before categories, a script) are "something else".
  const category = (input.category || (reason ? 'other' : '')) as ReportCategory;
  if (!REPORT_CATEGORIES.includes(category)) {
    throw new ValidationError('Choose what is wrong with the comment.', {
      category: 'Choose one of the reasons.',
    });
  }
  if (category === 'other' && !reason) {
    throw new ValidationError('Tell the moderators what is wrong.', {
      reason: 'Say what is wrong: “Something else” needs a few words.',
    });
  }
  if (reason.length > 500)
    throw new ValidationError('Keep the details under 500 characters.', { reason: 'Too long.' });
  return { category, reason };
}

/** Reports counted by category (a report from before categories is "other"), most reported first. */
export function countByCategory(
  reports: { category?: string | null }[],
): { category: ReportCategory; label: string; count: number }[] {
  const counts = new Map<ReportCategory, number>();
  for (const r of reports) {
    const category = (r.category ?? 'other') as ReportCategory;
    counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return [...counts]
    .map(([category, count]) => ({ category, label: REPORT_CATEGORY_LABELS[category], count }))
    .sort((a, b) => b.count - a.count);
}
