import type { RequestHandler } from 'express';
import type { Services } from '../services/index.js';
import { legacyPathKey } from '../lib/legacy-path.js';
import { slugify } from '../lib/slug.js';

const FEED = /\/feed(?:\/(?:rss2?|atom|rdf))?$/;

/**
 * Where an old WordPress address lives now, or null: feeds, categories and tags by their shape,
 * posts (and their comment feeds) by the addresses the import recorded.
 */
async function newAddress(services: Pick<Services, 'posts'>, url: URL): Promise<string | null> {
  const query = url.searchParams;
  if (url.pathname === '/' || url.pathname === '/index.php') {
    if (query.get('feed')) return '/feed.xml';
    const term = query.get('tag') ?? query.get('category_name');
    if (term) return `/tags/${encodeURIComponent(slugify(term))}`;
  }
  const key = legacyPathKey(url.pathname, url.search);
  if (!key) return null;
  const term = /^\/(?:category|tag)(?:\/[^/]+)*\/([^/]+)$/.exec(key);
  if (term) return `/tags/${encodeURIComponent(slugify(term[1]))}`;
  const feed = FEED.exec(key);
  const postKey = feed ? key.slice(0, feed.index) : key;
  // The site's feeds (posts, and all comments, which has no equivalent here).
  if (feed && (postKey === '' || postKey === '/comments')) return '/feed.xml';
  const slug = await services.posts.slugForLegacyPath(postKey);
  if (!slug) return null;
  return `/posts/${encodeURIComponent(slug)}${feed ? '/comments.xml' : ''}`;
}

/** The query parameters of WordPress's plain addresses (`/?p=123`, `/?feed=rss2`, `/?tag=…`). */
const LEGACY_QUERY = ['p', 'page_id', 'feed', 'tag', 'category_name'];

/**
 * GET of an address nothing else answered: if it was an address of the site this one replaced, a
 * 301 to its page here (the browser keeps a #comment-123 anchor, which the post page then finds).
 */

export function legacyController(services: Pick<Services, 'posts'>): {
  redirect: RequestHandler;
  redirectQuery: RequestHandler;
} {
  const controller: { redirect: RequestHandler; redirectQuery: RequestHandler } = {
    /** GET / with an old plain address's query: redirected; otherwise the home page answers. */
    redirectQuery: async (req, res, next) => {
      if (!LEGACY_QUERY.some((name) => name in req.query)) return next();
      return controller.redirect(req, res, next);
    },

    redirect: async (req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      let url: URL;
      try {
        url = new URL(req.originalUrl, 'http://site.invalid');
      } catch {
        return next(); // not an address at all ("//[x"): the 404 page answers
      }
      const to = await newAddress(services, url);
      if (!to) return next();
      res.redirect(301, to);
    },
  };
  return controller;
}
