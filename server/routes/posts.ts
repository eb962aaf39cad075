import { Router } from 'express';
import { requireUser } from '../auth/guards.js';
import type { Config } from '../config/index.js';
import { commentController } from '../controllers/comment-controller.js';
import { feedController } from '../controllers/feed-controller.js';
import { postController } from '../controllers/post-controller.js';
import { movedPost } from '../controllers/moved-post.js';

/** The services this area's controllers use, and nothing else. */
export type PostsDeps = Parameters<typeof postController>[0] &
  Parameters<typeof commentController>[0] &
  Parameters<typeof feedController>[0];

export function postsRouter(services: PostsDeps, config: Config): Router {
  const router = Router();
  const posts = postController(services, config);
  const comments = commentController(services, config);
  const feeds = feedController(services, config);

  router.get('/feed.xml', feeds.posts);
  router.get('/tags/:tag', posts.tag);
  router.get('/posts/:slug', posts.show);
  router.get('/posts/:slug/comments.xml', feeds.comments);
  router.get('/posts/:slug/comments/:id', posts.permalink);
  router.get('/posts/:slug/letter-writer/:token', posts.letterWriter);
  router.post('/posts/:slug/comments', comments.create);
  router.get('/posts/:slug/comments', comments.formAddress);
  router.post('/posts/:slug/follow', requireUser, posts.follow);
  router.post('/posts/:slug/unfollow', requireUser, posts.unfollow);
  // A post whose address changed: its old addresses (and every page under them) move with it.
  router.use(movedPost(services.posts));
  return router;
}
