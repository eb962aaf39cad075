import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { settingsController } from '../controllers/settings-controller.js';

/** The services this area's controllers use, and nothing else. */
export type SettingsDeps = Parameters<typeof settingsController>[0];

/** The settings page: admins only. */
export function settingsRouter(services: SettingsDeps): Router {
  const router = Router();
  const settings = settingsController(services);
  router.get('/admin/settings', requireRole('admin'), settings.show);
  router.post('/admin/settings', requireRole('admin'), settings.save);
  router.post('/admin/settings/spam/train', requireRole('admin'), settings.trainSpam);
  return router;
}
