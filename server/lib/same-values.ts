/** Whether two lists hold the same values, each compared with === (what a kept rendering was made from). */
export function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
