import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import { accountController } from '../controllers/account-controller.js';
import { moderationController } from '../controllers/moderation-controller.js';
import { settingsController } from '../controllers/settings-controller.js';
import type { Config } from '../config/index.js';

/** The services this area's controllers use, and nothing else. */
export type AdminDeps = {
  accounts: Parameters<typeof accountController>[0];
  settings: Parameters<typeof settingsController>[0];
  moderation: Parameters<typeof moderationController>[0];
};

/** /admin: running the site (users and their roles, settings, the audit log), admins only on every route. */
export function adminRouter(services: AdminDeps, config: Config): Router {
  const router = Router();
  const accounts = accountController(services.accounts, config);
  const settings = settingsController(services.settings);
  const audit = moderationController(services.moderation, config);
  router.use('/admin', requireRole('admin'));
  router.get('/admin/users', accounts.users);
  router.post('/admin/users/:id/role', accounts.setRole);
  router.get('/admin/settings', settings.show);
  router.post('/admin/settings', settings.save);
  router.post('/admin/settings/spam/train', settings.trainSpam);
  router.get('/admin/audit', audit.audit);
  router.get('/admin/audit.csv', audit.auditCsv);
  return router;
}
