/**
 * Addresses whose last part is a secret mailed to one person: a password reset, an email
 * confirmation, an unsubscribe or reply-mail link, a letter writer's link. Whoever reads the log
 * must not be able to use them, nor should such a page pass its address on (a Sign in link's
 * ?next=). test/integration/ops/request-log.test.ts checks every route with a `:token`.
 */
const SECRET_IN_PATH = [
  /^(\/reset\/)[^/?#]+/i,
  /^(\/account\/email\/)(?!resend(?:[/?#]|$))[^/?#]+/i,
  /^(\/unsubscribe\/)[^/?#]+/i,
  /^(\/notify\/confirm\/)[^/?#]+/i,
  /^(\/posts\/[^/?#]+\/letter-writer\/)[^/?#]+/i,
];

/** Whether an address (a path) carries a secret mailed to one person. */
export function carriesSecret(url: string): boolean {
  return SECRET_IN_PATH.some((pattern) => pattern.test(url));
}

/**
 * The address as the log may keep it: a secret in its path replaced by "[redacted]", and so is a
 * whole address passed in its query (`?next=` after signing in, `?back=`), when that one has one.
 */
export function loggableUrl(url: string): string {
  let clean = url;
  for (const pattern of SECRET_IN_PATH) clean = clean.replace(pattern, '$1[redacted]');
  const query = clean.indexOf('?');
  if (query < 0) return clean;
  const params = new URLSearchParams(clean.slice(query + 1));
  let changed = false;
  for (const [name, value] of [...params]) {
    if (value.startsWith('/') && carriesSecret(value)) {
      params.set(name, loggableUrl(value));
      changed = true;
    }
  }
  return changed ? `${clean.slice(0, query)}?${params}` : clean;
}
