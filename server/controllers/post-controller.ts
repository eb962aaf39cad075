import { SHARED_PAGE, type SharedPage } from '../middleware/shared-pages.js';
import type { RequestHandler } from 'express';
import { issueCsrf } from '../auth/csrf.js';
import type { Config } from '../config/index.js';
import { NotFoundError } from '../errors/index.js';
import { hasRole } from '../auth/guards.js';
import { parseOrder } from './input/query.js';
import type { Services } from '../services/index.js';
import type { ThreadFragments } from '../rendering/thread-fragments.js';
import { isObjectIdString } from '../lib/validation.js';
import { parsePage } from './input/query.js';
import { renderPostPage, type PostFrames } from './post-page.js';
import { threadUrl } from '../lib/thread-url.js';
import { pathParam, queryParam } from './input/params.js';

export function postController(
  services: Pick<Services, 'comments' | 'letters' | 'posts' | 'gate' | 'accounts' | 'follows' | 'likes'> & {
    fragments: ThreadFragments;
    /** Signed-in readers' pages as kept frames filled (absent: rendered whole). */
    frames?: PostFrames;
  },
  config: Config,
) {
  return {
    /** GET /posts/:slug */
    show: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'), {
        includeDrafts: hasRole(req.user, 'editor'),
      });
      const replyTo = queryParam(req, 'replyto');
      await renderPostPage(req, res, services, config, post, {
        page: parsePage(req.query.page),
        order: parseOrder(req.query.order),
        replyTo: isObjectIdString(replyTo) ? replyTo : undefined,
        quote: req.query.quote === '1',
      });
    }) satisfies RequestHandler,

    /** POST /posts/:slug/follow: new comments by email, as a digest. */
    follow: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      await services.follows.follow(req.user!, post);
      res.redirect(303, `/posts/${post.slug}#comments`);
    }) satisfies RequestHandler,

    /** POST /posts/:slug/unfollow */
    unfollow: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      await services.follows.unfollow(req.user!, post._id);
      res.redirect(303, `/posts/${post.slug}#comments`);
    }) satisfies RequestHandler,

    /** GET /posts/:slug/comments/:id: the stable permalink; redirects to the page that shows the comment. */
    permalink: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      let id = pathParam(req, 'id');
      // An imported comment's old WordPress number (its #comment-123 anchor), found by its source.
      const wordpress = /^wp-(\d{1,12})$/.exec(id);
      if (wordpress) id = (await services.comments.findImported(post, 'wordpress', wordpress[1])) ?? '';
      if (!isObjectIdString(id)) throw new NotFoundError('That comment does not exist.');
      const order = parseOrder(req.query.order);
      const { page } = await services.comments.locate(post, id, order);
      res.redirect(302, threadUrl(post.slug, { page, order }, `comment-${id}`));
    }) satisfies RequestHandler,

    /**
     * GET /posts/:slug/letter-writer/:token: the letter-writer's private link.
     * Valid only for the post it was made for; remembered in this browser's session.
     */
    letterWriter: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      const who = await services.letters.verifyLetterWriter(post, pathParam(req, 'token'));
      if (!who) throw new NotFoundError('This letter-writer link is not valid for this post.');
      req.session.letterWriter = { ...(req.session.letterWriter ?? {}), [String(post._id)]: who.name };
      // The session now speaks for the letter writer: its forms must carry its own token.
      issueCsrf(req, res, config.sessionSecret);
      res.redirect(303, `/posts/${post.slug}#letter-writer`);
    }) satisfies RequestHandler,

    /** GET /tags/:tag */
    tag: (async (req, res) => {
      const tag = pathParam(req, 'tag').toLowerCase();
      const page = parsePage(req.query.page);
      const list = await services.posts.listPublished({ page, tag });
      if (list.posts.length === 0) throw new NotFoundError(`No posts are tagged “${tag}”.`);
      if (!req.user) {
        const base = `/tags/${encodeURIComponent(tag)}`;
        const shared: SharedPage = {
          tags: ['listing'],
          url: page > 1 ? `${base}?page=${page}` : base,
          readers: true,
        };
        res.locals[SHARED_PAGE] = shared;
      }
      res.render('posts/tag', {
        title: `Tagged “${tag}”`,
        tag,
        posts: list.posts,
        paging: list.paging,
        pageBase: `/tags/${encodeURIComponent(tag)}`,
      });
    }) satisfies RequestHandler,
  };
}
