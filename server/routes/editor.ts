import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import type { Config } from '../config/index.js';
import { editorController } from '../controllers/editor-controller.js';
import { letterController } from '../controllers/letter-controller.js';

/** The services this area's controllers use, and nothing else. */
export type EditorDeps = Parameters<typeof editorController>[0] & Parameters<typeof letterController>[0];

/** /editor: the letters inbox and writing and publishing posts; editors (and admins) only, on every route. */
export function editorRouter(services: EditorDeps, config: Config): Router {
  const router = Router();
  const editor = editorController(services, config);
  const letters = letterController(services);
  router.use('/editor', requireRole('editor'));
  router.get('/editor', editor.index);
  router.get('/editor/posts/new', editor.newForm);
  router.post('/editor/posts', editor.create);
  router.get('/editor/posts/:id/edit', editor.editForm);
  router.post('/editor/posts/:id', editor.update);
  router.post('/editor/preview', editor.preview);
  router.get('/editor/letters', letters.inbox);
  router.get('/editor/letters/:id', letters.show);
  router.post('/editor/letters/:id/notes', letters.note);
  router.post('/editor/letters/:id/status', letters.status);
  router.post('/editor/letters/:id/redact', letters.redact);
  router.post('/editor/letters/:id/answer', letters.answer);
  return router;
}
