import type { RequestHandler } from 'express';
import { ValidationError } from '../errors/index.js';
import { commentAuthor } from '../auth/guards.js';
import { newCommentFrom } from './input/forms.js';
import { parseOrder } from './input/query.js';
import { toCommentView } from '../services/comments/comment-view.js';
import type { Services } from '../services/index.js';
import { parsePage } from './input/query.js';
import type { PostSummary } from '../services/posts/post-service.js';
import { pathParam } from './input/params.js';

/** A post as the API lists it; commentStatus says "closed" once comments closed by themselves too. */
function summaryJson(post: PostSummary, open: boolean) {
  return {
    id: String(post._id),
    slug: post.slug,
    url: `/posts/${post.slug}`,
    title: post.title,
    excerpt: post.excerpt,
    tags: post.tags,
    authorName: post.authorName,
    publishedAt: post.publishedAt,
    commentStatus: open ? 'open' : 'closed',
    commentCount: post.commentCount,
  };
}

/** The JSON API: the same services as the pages, no copies of their rules. */
export function apiController(services: Pick<Services, 'comments' | 'gate' | 'posts'>) {
  return {
    /** GET /api/posts?page=&tag= */
    listPosts: (async (req, res) => {
      const tag = typeof req.query.tag === 'string' ? req.query.tag.toLowerCase() : undefined;
      const list = await services.posts.listPublished({ page: parsePage(req.query.page), tag });
      res.json({
        posts: list.posts.map((post) => summaryJson(post, services.gate.commentsOpen(post))),
        paging: list.paging,
      });
    }) satisfies RequestHandler,

    /** GET /api/posts/:slug */
    getPost: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      res.json({
        post: {
          ...summaryJson(post, services.gate.commentsOpen(post)),
          letterHtml: post.letterHtml,
          answerHtml: post.answerHtml,
        },
      });
    }) satisfies RequestHandler,

    /** GET /api/posts/:slug/comments?page=&order=: one page of the tree. */
    listComments: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      const page = await services.comments.threadPage(post, {
        page: parsePage(req.query.page),
        order: parseOrder(req.query.order),
      });
      res.json({
        comments: page.comments,
        // The columnist's picks, newest pick first (on every page, as the thread page shows them).
        featured: page.featured,
        total: page.total,
        order: page.order,
        paging: page.paging,
      });
    }) satisfies RequestHandler,

    /** GET /api/posts/:slug/comments/new?since=ISO&order= → the comments since then, with their pages */
    newComments: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      const since = new Date(typeof req.query.since === 'string' ? req.query.since : '');
      if (Number.isNaN(since.getTime())) {
        throw new ValidationError('Give the time of the last visit as since=2026-11-27T08:00:00Z.', {
          since: 'Not a date and time.',
        });
      }
      res.setHeader('Cache-Control', 'no-store');
      res.json(await services.comments.newSince(post, since, parseOrder(req.query.order)));
    }) satisfies RequestHandler,

    /** POST /api/posts/:slug/comments {parent?, name, email?, body} → 201 */
    createComment: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      const comment = await services.comments.create(
        post,
        newCommentFrom(req.body),
        commentAuthor(req, post._id),
      );
      const view = toCommentView(
        { ...comment, displayDepth: comment.depth, replyingTo: null, orphaned: false, children: [] },
        post.slug,
      );
      res.status(201).location(view.permalink).json({ comment: view });
    }) satisfies RequestHandler,
  };
}
