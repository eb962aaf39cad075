import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of a value under the site secret, base64url (tokens) or hex (stored hashes). */
export function sign(secret: string, value: string, encoding: 'base64url' | 'hex' = 'base64url'): string {
  return createHmac('sha256', secret).update(value).digest(encoding);
}

/** Compares a token someone sent with the one expected, in constant time. */
export function sameToken(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
