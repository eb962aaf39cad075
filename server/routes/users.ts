import { Router } from 'express';
import { accountController } from '../controllers/account-controller.js';
import type { Config } from '../config/index.js';

/** The services this area's controllers use, and nothing else. */
export type UsersDeps = Parameters<typeof accountController>[0];

/** /users: commenters' public profiles. */
export function usersRouter(services: UsersDeps, config: Config): Router {
  const router = Router();
  const accounts = accountController(services, config);
  router.get('/users/:username', accounts.profile);
  return router;
}
