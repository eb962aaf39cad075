// {{percent 0.934}} → "93%"; a missing figure (null: nothing to divide) → "n/a"
export function percent(share: unknown, ..._options: unknown[]): string {
  if (share === null || share === undefined) return 'n/a';
  if (typeof share !== 'number') throw new Error('percent: usage {{percent share}} with a share from 0 to 1');
  return `${Math.round(share * 100)}%`;
}
