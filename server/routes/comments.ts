import { Router } from 'express';
import { requireRole, requireUser } from '../auth/guards.js';
import { accountController } from '../controllers/account-controller.js';
import { moderationController } from '../controllers/moderation-controller.js';
import { ownCommentController } from '../controllers/own-comment-controller.js';
import { likeController } from '../controllers/like-controller.js';
import type { Config } from '../config/index.js';

/** The services this area's controllers use, and nothing else. */
export type CommentsDeps = {
  accounts: Parameters<typeof accountController>[0];
  moderation: Parameters<typeof moderationController>[0];
  editing: Parameters<typeof ownCommentController>[0];
  likes: Parameters<typeof likeController>[0];
};

/** /comments/:id: editing or deleting one's own comment, liking and reporting anyone's. */
export function commentsRouter(services: CommentsDeps, config: Config): Router {
  const router = Router();
  const own = accountController(services.accounts, config);
  const reports = moderationController(services.moderation, config);
  const editing = ownCommentController(services.editing);
  router.post('/comments/preview', requireUser, editing.preview);
  router.get('/comments/:id/edit', requireUser, editing.editForm);
  router.post('/comments/:id/edit', requireUser, editing.edit);
  router.get('/comments/:id/delete', requireUser, own.deleteForm);
  router.post('/comments/:id/delete', requireUser, own.delete);
  const liking = likeController(services.likes, config);
  router.post('/comments/:id/like', liking.set);
  router.get('/posts/:slug/likes', liking.mine);
  router.get('/comments/:id/report', reports.reportForm);
  router.post('/comments/:id/report', reports.report);
  // The columnist's picks: editors and moderators (admins too).
  router.post('/comments/:id/feature', requireRole('editor', 'moderator'), reports.feature);
  router.post('/comments/:id/unfeature', requireRole('editor', 'moderator'), reports.feature);
  return router;
}
