// {{#if (eq a b)}}: strict equality, for comparing strings and numbers in templates.
export function eq(a: unknown, b: unknown, ...rest: unknown[]): boolean {
  if (rest.length !== 1) throw new Error('eq: usage (eq a b)');
  return a === b;
}
