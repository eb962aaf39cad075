import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import type { Config } from '../config/index.js';
import type { Services } from '../services/index.js';
import type { Liker } from '../services/comments/like-service.js';
import { wantsJson } from '../middleware/wants-json.js';
import { field, safeLocalPath } from './input/fields.js';
import { pathParam } from './input/params.js';

/** The guest browser's own random id, kept a year: its likes are its own (no session, pages stay shared). */
export const LIKER_COOKIE = 'liker';
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** The guest browser's id from its cookie, if it has one that looks like ours. */
function browserIdOf(req: Request): string | undefined {
  const raw = req.headers.cookie ? parseCookies(req.headers.cookie)[LIKER_COOKIE] : undefined;
  return raw && /^[\w-]{22}$/.test(raw) ? raw : undefined;
}

/**
 * Liking comments: the thread's Like buttons (a form without JavaScript, JSON with it), and the
 * list of what this reader likes on a post (for a guest's page, which is the same for every guest).
 */
export function likeController(services: Pick<Services, 'likes' | 'posts'>, config: Pick<Config, 'siteUrl'>) {
  const { likes } = services;

  /** Who is liking: the account, else the guest browser (given an id now if it has none). */
  function likerOf(req: Request, res: Response, create: boolean): Liker {
    if (req.user) return { user: req.user, ip: req.ip ?? '' };
    let browserId = browserIdOf(req);
    if (!browserId && create) {
      browserId = randomBytes(16).toString('base64url');
      res.cookie(LIKER_COOKIE, browserId, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.siteUrl.startsWith('https:'),
        maxAge: YEAR_MS,
      });
    }
    return { browserId, ip: req.ip ?? '' };
  }

  return {
    /** POST /comments/:id/like {like: on|off}: likes or stops liking; JSON, or back to the comment. */
    set: (async (req, res) => {
      const on = field(req.body, 'like') !== 'off';
      const result = await likes.set(pathParam(req, 'id'), likerOf(req, res, on), on);
      const message = result.liked ? `You like #${result.number}.` : `You no longer like #${result.number}.`;
      if (wantsJson(req)) {
        res.setHeader('Cache-Control', 'no-store');
        res.json({ ok: true, id: result.commentId, likes: result.likes, liked: result.liked, message });
        return;
      }
      const post = await services.posts.getById(String(result.postId));
      const back = safeLocalPath(field(req.body, 'back'), `/posts/${post.slug}`).split('#')[0];
      res.redirect(303, `${back}#comment-${result.commentId}`);
    }) satisfies RequestHandler,

    /** GET /posts/:slug/likes: the ids of this post's comments that this reader likes. */
    mine: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      const liked = await likes.likedOn(post._id, likerOf(req, res, false));
      res.setHeader('Cache-Control', 'private, no-store');
      res.json({ liked });
    }) satisfies RequestHandler,
  };
}
