import type { RequestHandler } from 'express';
import type { DatabaseHealth } from '../db/connection.js';
import { ServiceUnavailableError } from '../errors/index.js';

/** Requests that need the database fail fast with 503 while it is away. */
export function requireDatabase(db: DatabaseHealth): RequestHandler {
  return (_req, _res, next) => {
    next(db.isConnected() ? undefined : new ServiceUnavailableError());
  };
}
