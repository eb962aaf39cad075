/**
 * Whether a browser's Origin header names this site: the configured SITE_URL's origin, or the
 * host the request was sent to (any scheme: behind a proxy the scheme may differ). Never throws:
 * "null" (sandboxed frames, file: pages) and anything that does not parse are not this site.
 */
export function isSameOrigin(origin: string, site: { siteOrigin: string; host?: string }): boolean {
  if (origin === site.siteOrigin) return true;
  if (!site.host) return false;
  try {
    return new URL(origin).host === site.host;
  } catch {
    return false;
  }
}

/**
 * Whether a request says, through the headers browsers send, that it comes from another site's
 * page. Sec-Fetch-Site, when present, decides (same-origin, or none for a typed address, is
 * ours): it is what current browsers send, and their Origin can be "null" on our own forms
 * (under Referrer-Policy: no-referrer). Without it, an Origin that is not this site, "null"
 * included, is another site. Requests with neither (scripts, old clients) carry no browser's
 * ambient authority and are judged by their tokens alone.
 */
export function isCrossSite(
  headers: { origin?: string; 'sec-fetch-site'?: string },
  site: { siteOrigin: string; host?: string },
): boolean {
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite) return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = headers.origin;
  return origin !== undefined && !isSameOrigin(origin, site);
}
