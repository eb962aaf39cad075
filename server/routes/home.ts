import { Router } from 'express';
import { homeController } from '../controllers/home-controller.js';

/** The services this area's controllers use, and nothing else. */
export type HomeDeps = Parameters<typeof homeController>[0];

export function homeRouter(services: HomeDeps): Router {
  const router = Router();
  const home = homeController(services);
  router.get('/', home.index);
  return router;
}
