import { Router } from 'express';
import { requireRole, requireUser } from '../auth/guards.js';
import { accountController } from '../controllers/account-controller.js';

/** The services this area's controllers use, and nothing else. */
export type AccountsDeps = Parameters<typeof accountController>[0];

export function accountsRouter(services: AccountsDeps): Router {
  const router = Router();
  const accounts = accountController(services);
  router.get('/users/:username', accounts.profile);
  router.get('/comments/:id/edit', requireUser, accounts.editForm);
  router.post('/comments/:id/edit', requireUser, accounts.edit);
  router.get('/comments/:id/delete', requireUser, accounts.deleteForm);
  router.post('/comments/:id/delete', requireUser, accounts.delete);
  router.use('/admin', requireRole('admin'));
  router.get('/admin/users', accounts.users);
  router.post('/admin/users/:id/role', accounts.setRole);
  return router;
}
