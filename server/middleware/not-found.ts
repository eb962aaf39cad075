import type { RequestHandler } from 'express';
import { NotFoundError } from '../errors/index.js';

export const notFound: RequestHandler = (req, _res, next) => {
  next(
    new NotFoundError(
      req.originalUrl.startsWith('/api') ? `No API route for ${req.method} ${req.path}.` : undefined,
    ),
  );
};
