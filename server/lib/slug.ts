/** "My boss reads my email?!" → "my-boss-reads-my-email"; "" when nothing is left. */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return slug;
}

/** "Coworkers, Boundaries ,  job hunting" → ["coworkers", "boundaries", "job-hunting"] */
export function parseTags(raw: string): string[] {
  const tags = raw
    .split(',')
    .map((t) => slugify(t, 40))
    .filter((t) => t !== '');
  return [...new Set(tags)].slice(0, 10);
}
