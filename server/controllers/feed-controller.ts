import type { RequestHandler } from 'express';
import type { Config } from '../config/index.js';
import type { Services } from '../services/index.js';
import { pathParam } from './input/params.js';

const rfc822 = (date: Date | string | null | undefined): string => (date ? new Date(date).toUTCString() : '');

/** RSS 2.0 feeds, rendered by Handlebars (its escaping is valid XML). */
export function feedController(services: Pick<Services, 'comments' | 'posts'>, config: Config) {
  const base = config.siteUrl.replace(/\/$/, '');
  return {
    /** GET /feed.xml: the newest published posts. */
    posts: (async (_req, res) => {
      const posts = await services.posts.recent(20);
      res.type('application/rss+xml').render('feeds/posts', {
        layout: false,
        site: { title: config.siteTitle, description: config.siteDescription, url: base },
        lastBuildDate: rfc822(posts[0]?.publishedAt),
        items: posts.map((post) => ({
          title: post.title,
          link: `${base}/posts/${post.slug}`,
          pubDate: rfc822(post.publishedAt),
          author: post.authorName,
          categories: post.tags,
          description: `${post.letterHtml ? `<p><em>A reader writes:</em></p><blockquote>${post.letterHtml}</blockquote>` : ''}${post.answerHtml}`,
        })),
      });
    }) satisfies RequestHandler,

    /** GET /posts/:slug/comments.xml: the newest comments on one post. */
    comments: (async (req, res) => {
      const post = await services.posts.getBySlug(pathParam(req, 'slug'));
      const comments = await services.comments.recent(post, 50);
      const postLink = `${base}/posts/${post.slug}`;
      res.type('application/rss+xml').render('feeds/comments', {
        layout: false,
        site: { title: config.siteTitle, description: config.siteDescription, url: base },
        post,
        postLink,
        feedLink: `${postLink}/comments.xml`,
        items: comments.map((comment) => ({
          number: comment.number,
          author: comment.authorName,
          link: `${postLink}/comments/${comment._id}`,
          guid: `${postLink}#comment-${comment._id}`,
          pubDate: rfc822(comment.createdAt),
          description: comment.bodyHtml,
        })),
      });
    }) satisfies RequestHandler,
  };
}
