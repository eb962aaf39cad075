import { Router } from 'express';
import { requireRole } from '../auth/guards.js';
import type { Config } from '../config/index.js';
import { moderationController } from '../controllers/moderation-controller.js';

/** The services this area's controllers use, and nothing else. */
export type ModerationDeps = Parameters<typeof moderationController>[0];

/** /moderation: the queues, commenters and sanctions; the moderator role (admins pass too) on every route. */
export function moderationRouter(services: ModerationDeps, config: Config): Router {
  const router = Router();
  const mod = moderationController(services, config);
  router.use('/moderation', requireRole('moderator'));
  router.get('/moderation', mod.queue);
  router.get('/moderation/held-since', mod.heldSince);
  router.get('/moderation/comments/:id', mod.open);
  router.post('/moderation/comments/bulk', mod.bulk);
  router.post('/moderation/comments/:id/ban-email', mod.banEmail);
  router.post('/moderation/comments/:id/block-ip', mod.blockIp);
  router.post('/moderation/comments/:id/:action', mod.act);
  router.post('/moderation/posts/:id/close', mod.setPostOpen(false));
  router.post('/moderation/posts/:id/reopen', mod.setPostOpen(true));
  router.post('/moderation/users/:id/sanction', mod.sanctionUser);
  router.post('/moderation/users/:id/warn', mod.warn);
  router.get('/moderation/sanctions', mod.sanctions);
  router.get('/moderation/commenter', mod.commenter);
  router.post('/moderation/commenter/remove', mod.removeAll);
  router.post('/moderation/sanctions/:id/lift', mod.lift);
  return router;
}
