// {{urlEncode value}}: a value inside a URL's query (a next= path with its own ? & and #).
export function urlEncode(value: unknown, ...rest: unknown[]): string {
  if (rest.length !== 1) throw new Error('urlEncode: usage (urlEncode value)');
  return encodeURIComponent(value === null || value === undefined ? '' : String(value));
}
