import type { RequestHandler } from 'express';
import { commentAuthor, viewerOf } from '../auth/guards.js';
import type { Config } from '../config/index.js';
import { ForbiddenError, TooManyRequestsError, ValidationError } from '../errors/index.js';
import { newCommentFrom } from './input/forms.js';
import { parseOrder } from './input/query.js';
import type { Services } from '../services/index.js';
import type { ThreadFragments } from '../rendering/thread-fragments.js';
import { field } from './input/fields.js';
import { renderPostPage } from './post-page.js';
import { threadUrl } from '../lib/thread-url.js';
import { pathParam } from './input/params.js';
import { wantsJson } from '../middleware/wants-json.js';

export function commentController(
  services: Pick<Services, 'comments' | 'posts' | 'gate'> & { fragments: ThreadFragments },
  config: Config,
) {
  return {
    /**
     * GET /posts/:slug/comments: the address a refused comment's page shows (the form posts there).
     * Reloaded, restored in a new session or shared, it is the post, at its form.
     */
    formAddress: ((req, res) => {
      res.redirect(302, `/posts/${encodeURIComponent(pathParam(req, 'slug'))}#respond`);
    }) satisfies RequestHandler,

    /**
     * POST /posts/:slug/comments (a form, works without JavaScript): on success
     * 303 to the page showing the new comment; on a validation error the page
     * again, status 400, with the input kept and each error by its field; sent too
     * soon after the last (the pace limit), the same with 429 and Retry-After; refused for who
     * sent it (suspended, banned, a warning to read) or because comments closed meanwhile, the
     * same with 403.
     */
    create: (async (req, res) => {
      const post = await services.posts.getForCommenting(pathParam(req, 'slug'));
      const input = newCommentFrom(req.body);
      const order = parseOrder(field(req.body, 'order'));
      try {
        const comment = await services.comments.create(post, input, commentAuthor(req, post._id));
        if (comment.status === 'pending' && !req.user) {
          req.session.held = [...(req.session.held ?? []), String(comment._id)].slice(-50);
        }
        const { page } = await services.comments.locate(
          { ...post, threadVersion: comment.threadVersion },
          String(comment._id),
          order,
          viewerOf(req),
        );
        res.redirect(303, threadUrl(post.slug, { page, order }, `comment-${comment._id}`));
      } catch (err) {
        // Refused for what was sent (400), sent too soon after the last (429), or refused for who
        // sent it or where (403): the page again with the text as typed, and why, so that nothing
        // is lost even without JavaScript. Scripts get JSON (the error handler's).
        const page = !wantsJson(req);
        const tooSoon = err instanceof TooManyRequestsError && page;
        const refused = err instanceof ForbiddenError && page;
        if (!(err instanceof ValidationError) && !tooSoon && !refused) throw err;
        res.status(tooSoon ? 429 : refused ? 403 : 400);
        if (tooSoon) res.setHeader('Retry-After', String(err.retryAfterSeconds));
        // The page again, from the post as stored now (the one above may be a moment old).
        const current = await services.posts.getBySlug(post.slug);
        const parentPage = await services.comments
          .locate(current, input.parentId, order)
          .then((found) => found.page)
          .catch(() => 1);
        await renderPostPage(req, res, services, config, current, {
          page: parentPage,
          order,
          form: {
            values: {
              name: input.authorName,
              email: input.authorEmail,
              body: input.body,
              parent: input.parentId,
              notify: input.notifyReplies,
            },
            errors: err instanceof ValidationError ? (err.details ?? {}) : {},
            summary: err.message,
          },
        });
      }
    }) satisfies RequestHandler,
  };
}
