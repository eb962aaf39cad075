import { Router } from 'express';
import { legacyController } from '../controllers/legacy-controller.js';

/** The services this area's controllers use, and nothing else. */
export type LegacyDeps = Parameters<typeof legacyController>[0];

/** Old addresses of an imported site (mounted last, before the 404 page). */
export function legacyRouter(services: LegacyDeps): Router {
  const router = Router();
  router.use(legacyController(services).redirect);
  return router;
}
