import type { ErrorRequestHandler } from 'express';
import { NotFoundError } from '../errors/index.js';
import { legacyPathKey } from '../lib/legacy-path.js';
import type { PostService } from '../services/posts/post-service.js';

const POST_PATH = /^\/posts\/([^/]+)(\/.*)?$/;

/**
 * After the post routes: an address under /posts/ that found no post, because the post's address
 * changed since (an editor's new slug, recorded as an old address of it): a 301 to the same page
 * at the new address, keeping the rest of the path and the query (a permalink, the comments feed,
 * the letter writer's link). Anything else goes on to the 404 page.
 */
export function movedPost(posts: Pick<PostService, 'slugForLegacyPath'>): ErrorRequestHandler {
  return (err, req, res, next) => {
    const found = POST_PATH.exec(req.path);
    const key = found && legacyPathKey(`/posts/${found[1]}`);
    if (!(err instanceof NotFoundError) || !key || (req.method !== 'GET' && req.method !== 'HEAD')) {
      next(err);
      return;
    }
    posts.slugForLegacyPath(key).then((slug) => {
      if (!slug || slug === found![1]) return next(err);
      const query = req.originalUrl.indexOf('?');
      const search = query >= 0 ? req.originalUrl.slice(query) : '';
      res.redirect(301, `/posts/${encodeURIComponent(slug)}${found![2] ?? ''}${search}`);
    }, next);
  };
}
