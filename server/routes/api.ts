import { Router } from 'express';
import { apiController } from '../controllers/api-controller.js';

/** The services this area's controllers use, and nothing else. */
export type ApiDeps = Parameters<typeof apiController>[0];

export function apiRouter(services: ApiDeps): Router {
  const router = Router();
  const api = apiController(services);
  router.get('/posts', api.listPosts);
  router.get('/posts/:slug', api.getPost);
  router.get('/posts/:slug/comments', api.listComments);
  router.get('/posts/:slug/comments/new', api.newComments);
  router.post('/posts/:slug/comments', api.createComment);
  return router;
}
