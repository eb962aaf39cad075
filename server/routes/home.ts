import { Router } from 'express';
import { homeController } from '../controllers/home-controller.js';
import type { Services } from '../services/index.js';

export function homeRouter(services: Services): Router {
  const router = Router();
  const home = homeController(services);
  router.get('/', home.index);
  return router;
}
