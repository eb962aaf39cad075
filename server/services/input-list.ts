/** Reads a repeated form field (checkboxes) as a list of strings; anything else counts as empty. */
export function fieldList(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Only local paths, so a `back` or `next` field cannot send anyone to another site. */
export function safeLocalPath(raw: unknown, fallback: string): string {
  return typeof raw === 'string' && /^\/(?!\/)[^\s\\]*$/.test(raw) ? raw : fallback;
}
