import { ValidationError } from '../../errors/index.js';
import type { FieldErrors } from '../../lib/validation.js';
import { renderCommentMarkdown } from '../../lib/markdown.js';

export const COMMENT_LIMITS = { body: 5000, authorName: 60, email: 254 } as const;

/** Trims and length-checks a comment body, adding any error to `errors`. */
export function checkBody(raw: string, errors: FieldErrors): string {
  const body = raw.replace(/\r\n/g, '\n').trim();
  if (!body) errors.add('body', 'Write something before posting.');
  else if (body.length > COMMENT_LIMITS.body) {
    errors.add(
      'body',
      `Your comment is ${body.length} characters long; the limit is ${COMMENT_LIMITS.body}.`,
    );
  }
  return body;
}

/** Safe HTML for a checked body; a body that sanitizes to nothing is an error. */
export function renderBody(body: string): string {
  const html = renderCommentMarkdown(body);
  if (!html) {
    throw new ValidationError('Please correct the highlighted fields.', {
      body: 'Write something before posting.',
    });
  }
  return html;
}
