import { ValidationError } from '../../errors/index.js';

/**
 * Reads a string field from a parsed body: absent is ''; anything but a string (a field sent
 * twice, an object, a number from JSON) is a 400 naming the field, never silently dropped.
 */
export function field(body: unknown, name: string): string {
  if (!body || typeof body !== 'object') return '';
  const value = (body as Record<string, unknown>)[name];
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  throw new ValidationError(`The field “${name}” was sent in a form this site does not use.`, {
    [name]: 'Send this field once, as text.',
  });
}

/** A field's text for showing a form again: never throws (a mistyped field shows as empty). */
export function textOf(body: unknown, name: string): string {
  if (!body || typeof body !== 'object') return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** Reads a repeated form field (checkboxes) as a list of strings; anything else counts as empty. */
export function fieldList(body: unknown, name: string): string[] {
  if (!body || typeof body !== 'object') return [];
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * A path on this site to send someone back to, or the fallback: it must stay a path here once a
 * browser has resolved it ("/a/..//evil.com" becomes "//evil.com", another site, and is refused).
 * Returned as resolved.
 */
export function safeLocalPath(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string' || raw.length > 2000 || !/^\/(?!\/)[^\s\\]*$/.test(raw)) return fallback;
  const base = 'http://this-site.invalid';
  try {
    const url = new URL(raw, base);
    if (url.origin !== base || url.pathname.startsWith('//')) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
