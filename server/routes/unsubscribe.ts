import { Router } from 'express';
import { unsubscribeController } from '../controllers/unsubscribe-controller.js';

/** The services this area's controllers use, and nothing else. */
export type UnsubscribeDeps = Parameters<typeof unsubscribeController>[0];

/** Mounted before CSRF protection: a mail program's one-click POST has no form token (RFC 8058). */
export function unsubscribeRouter(services: UnsubscribeDeps): Router {
  const router = Router();
  const unsubscribe = unsubscribeController(services);
  router.get('/unsubscribe/:token', unsubscribe.confirm);
  router.post('/unsubscribe/:token', unsubscribe.unsubscribe);
  router.get('/notify/confirm/:token', unsubscribe.confirmForm);
  router.post('/notify/confirm/:token', unsubscribe.confirmAddress);
  return router;
}
