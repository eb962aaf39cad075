import { Router } from 'express';
import type { DatabaseHealth } from '../db/connection.js';

/** /healthz: the process is alive. /readyz: the database answers a ping. */
export function healthRouter(database: DatabaseHealth): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ok = await database.ping();
    res
      .set('Cache-Control', 'no-store')
      .status(ok ? 200 : 503)
      .json(ok ? { status: 'ready', database: 'up' } : { status: 'not ready', database: 'unreachable' });
  });
  return router;
}
