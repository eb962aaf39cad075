import express, { Router } from 'express';
import type { Config } from '../config/index.js';
import { apiController } from '../controllers/api-controller.js';
import type { Services } from '../services/index.js';

export function apiRouter(services: Services, config: Config): Router {
  const router = Router();
  const api = apiController(services, config);
  router.use(express.json({ limit: '64kb', strict: true }));
  router.get('/posts', api.listPosts);
  router.get('/posts/:slug', api.getPost);
  router.get('/posts/:slug/comments', api.listComments);
  router.post('/posts/:slug/comments', api.createComment);
  return router;
}
