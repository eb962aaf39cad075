import { Router } from 'express';
import type { Passport } from 'passport';
import { requireCsrfSession } from '../auth/csrf.js';
import type { Config } from '../config/index.js';
import { authController } from '../controllers/auth-controller.js';

/** The services this area's controllers use, and nothing else. */
export type AuthDeps = Parameters<typeof authController>[0];

export function authRouter(
  services: AuthDeps,
  config: Config,
  passport: InstanceType<typeof Passport>,
): Router {
  const router = Router();
  const auth = authController(services, config, passport);
  router.get('/login', auth.loginForm);
  router.post('/login', requireCsrfSession, auth.login);
  router.get('/register', auth.registerForm);
  router.post('/register', requireCsrfSession, auth.register);
  router.get('/forgot', auth.forgotForm);
  router.post('/forgot', requireCsrfSession, auth.forgot);
  router.get('/reset/:token', auth.resetForm);
  router.post('/reset/:token', requireCsrfSession, auth.reset);
  router.post('/logout', auth.logout);
  return router;
}
