import express, { Router } from 'express';
import { requireEditor } from '../auth/editor-gate.js';
import type { Config } from '../config/index.js';
import { editorController } from '../controllers/editor-controller.js';
import type { Services } from '../services/index.js';

export function editorRouter(services: Services, config: Config): Router {
  const router = Router();
  const editor = editorController(services, config);
  const form = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 50 });
  const gate = requireEditor(config.editorSecret);

  router.get('/editor/login', editor.loginForm);
  router.post('/editor/login', form, editor.login);
  router.post('/editor/logout', editor.logout);
  router.get('/editor', gate, editor.index);
  router.get('/editor/posts/new', gate, editor.newForm);
  router.post('/editor/posts', gate, form, editor.create);
  router.get('/editor/posts/:id/edit', gate, editor.editForm);
  router.post('/editor/posts/:id', gate, form, editor.update);
  return router;
}
