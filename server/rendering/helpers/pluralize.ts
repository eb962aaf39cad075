// {{pluralize count "comment" "comments"}} → "1 comment", "17 comments"
export function pluralize(
  count: unknown,
  singular: unknown,
  plural: unknown,
  ..._options: unknown[]
): string {
  if (typeof count !== 'number' || typeof singular !== 'string' || typeof plural !== 'string') {
    throw new Error('pluralize: usage {{pluralize count "singular" "plural"}}');
  }
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}
