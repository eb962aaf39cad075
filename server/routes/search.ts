import { Router } from 'express';
import { searchController } from '../controllers/search-controller.js';

/** The services this area's controllers use, and nothing else. */
export type SearchDeps = Parameters<typeof searchController>[0];

/** /search: the search page (its JSON API and title suggestions are under /api). */
export function searchRouter(services: SearchDeps): Router {
  const router = Router();
  const search = searchController(services);
  router.get('/search', search.page);
  return router;
}
