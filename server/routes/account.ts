import { Router } from 'express';
import { requireUser } from '../auth/guards.js';
import { accountController } from '../controllers/account-controller.js';
import type { Config } from '../config/index.js';

/** The services this area's controllers use, and nothing else. */
export type AccountDeps = Parameters<typeof accountController>[0];

/** /account: a signed-in reader's own settings, replies, data and warnings (an email link's confirmation too). */
export function accountRouter(services: AccountDeps, config: Config): Router {
  const router = Router();
  const accounts = accountController(services, config);
  // Before /account/email/:token, which would take "resend" for a token.
  router.post('/account/email/resend', requireUser, accounts.resendConfirmation);
  router.get('/account/email/:token', accounts.confirmEmailForm);
  router.post('/account/email/:token', accounts.confirmEmail);
  router.get('/account', requireUser, accounts.settings);
  router.get('/account/replies', requireUser, accounts.replies);
  router.post('/account/password', requireUser, accounts.changePassword);
  router.post('/account/email', requireUser, accounts.changeEmail);
  router.post('/account/name', requireUser, accounts.rename);
  router.post('/account/notifications', requireUser, accounts.setNotifications);
  router.post('/account/warnings/:id/acknowledge', requireUser, accounts.acknowledgeWarning);
  router.get('/account/data.json', requireUser, accounts.exportData);
  router.post('/account/delete', requireUser, accounts.deleteAccount);
  return router;
}
