import { Router } from 'express';
import { letterController } from '../controllers/letter-controller.js';

/** The services this area's controllers use, and nothing else. */
export type AskDeps = Parameters<typeof letterController>[0];

/** /ask: a reader writes in. */
export function askRouter(services: AskDeps): Router {
  const router = Router();
  const letters = letterController(services);
  router.get('/ask', letters.askForm);
  router.post('/ask', letters.ask);
  router.get('/ask/sent/:reference', letters.sent);
  return router;
}
