import { Router } from 'express';
import { apiController } from '../controllers/api-controller.js';
import type { Services } from '../services/index.js';

export function apiRouter(services: Services): Router {
  const router = Router();
  const api = apiController(services);
  router.get('/posts', api.listPosts);
  router.get('/posts/:slug', api.getPost);
  router.get('/posts/:slug/comments', api.listComments);
  router.post('/posts/:slug/comments', api.createComment);
  return router;
}
