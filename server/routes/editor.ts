import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import type { Config } from '../config/index.js';
import { editorController } from '../controllers/editor-controller.js';

/** The services this area's controllers use, and nothing else. */
export type EditorDeps = Parameters<typeof editorController>[0];

/** Writing and publishing posts: editors (and admins) only, checked on every route. */
export function editorRouter(services: EditorDeps, config: Config): Router {
  const router = Router();
  const editor = editorController(services, config);
  router.use('/editor', requireRole('editor'));
  router.get('/editor', editor.index);
  router.get('/editor/posts/new', editor.newForm);
  router.post('/editor/posts', editor.create);
  router.get('/editor/posts/:id/edit', editor.editForm);
  router.post('/editor/posts/:id', editor.update);
  router.post('/editor/preview', editor.preview);
  return router;
}
