import { Router } from 'express';
import { apiController } from '../controllers/api-controller.js';
import { searchController } from '../controllers/search-controller.js';

/** The services this area's controllers use, and nothing else. */
export type ApiDeps = Parameters<typeof apiController>[0] & Parameters<typeof searchController>[0];

/** /api (mounted there): posts and their comments as JSON, search and title suggestions. */
export function apiRouter(services: ApiDeps): Router {
  const router = Router();
  const api = apiController(services);
  const search = searchController(services);
  router.get('/search', search.api);
  router.get('/search/suggest', search.suggest);
  router.get('/posts', api.listPosts);
  router.get('/posts/:slug', api.getPost);
  router.get('/posts/:slug/comments', api.listComments);
  router.get('/posts/:slug/comments/new', api.newComments);
  router.post('/posts/:slug/comments', api.createComment);
  return router;
}
