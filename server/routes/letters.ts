import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { letterController } from '../controllers/letter-controller.js';

/** The services this area's controllers use, and nothing else. */
export type LettersDeps = Parameters<typeof letterController>[0];

export function lettersRouter(services: LettersDeps): Router {
  const router = Router();
  const letters = letterController(services);
  router.get('/ask', letters.askForm);
  router.post('/ask', letters.ask);
  router.get('/ask/sent/:reference', letters.sent);

  const editor = requireRole('editor');
  router.get('/editor/letters', editor, letters.inbox);
  router.get('/editor/letters/:id', editor, letters.show);
  router.post('/editor/letters/:id/notes', editor, letters.note);
  router.post('/editor/letters/:id/status', editor, letters.status);
  router.post('/editor/letters/:id/redact', editor, letters.redact);
  router.post('/editor/letters/:id/answer', editor, letters.answer);
  return router;
}
