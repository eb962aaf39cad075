import { Router } from 'express';
import { searchController } from '../controllers/search-controller.js';

/** The services this area's controllers use, and nothing else. */
export type SearchDeps = Parameters<typeof searchController>[0];

/** Search: the page, the JSON API and title suggestions. */
export function searchRouter(services: SearchDeps): Router {
  const router = Router();
  const search = searchController(services);
  router.get('/search', search.page);
  router.get('/api/search', search.api);
  router.get('/api/search/suggest', search.suggest);
  return router;
}
