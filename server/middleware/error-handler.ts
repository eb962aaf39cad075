import type { ErrorRequestHandler } from 'express';
import {
  AppError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  TooManyRequestsError,
  ValidationError,
} from '../errors/index.js';
import { wantsJson } from './wants-json.js';
import { HashQueueFullError } from '../lib/passwords.js';

const DATABASE_DOWN = new Set([
  'MongoNetworkError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoNetworkTimeoutError',
]);

/**
 * Whether an error says the database went away (the connection closed or reset mid-request,
 * no server to select), directly or as the cause of another: a 503 to retry, not a 500.
 */
function databaseDown(err: unknown, depth = 0): boolean {
  const e = err as {
    name?: string;
    code?: unknown;
    cause?: unknown;
    writeErrors?: unknown;
    hasErrorLabel?: (label: string) => boolean;
  };
  if (!e || depth > 3) return false;
  if (e.name && (DATABASE_DOWN.has(e.name) || /^Mongo.*(Network|PoolCleared|ServerClosed)/.test(e.name)))
    return true;
  // A bulk write cut off by the connection (no write of its own failed).
  const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors.length : e.writeErrors ? 1 : 0;
  if (e.name === 'MongoBulkWriteError' && writeErrors === 0) return true;
  // The connection's socket closed under a write (the database process died).
  if (e.code === 'EPIPE' || e.code === 'ECONNRESET' || e.code === 'ECONNREFUSED') return true;
  if (typeof e.hasErrorLabel === 'function' && e.hasErrorLabel('ResetPool')) return true;
  return databaseDown(e.cause, depth + 1);
}

/** Maps anything thrown to a typed AppError; unknown errors become a 500. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { name?: string; type?: string; status?: number; message?: string };
  if (databaseDown(err)) return new ServiceUnavailableError();
  if (err instanceof HashQueueFullError) return new ServiceUnavailableError();
  if (e?.message?.includes('bufferCommands = false')) return new ServiceUnavailableError();
  if (e?.type === 'entity.too.large') return new PayloadTooLargeError();
  if (e?.type === 'entity.parse.failed') return new ValidationError('The request body is not valid JSON.');
  if (e?.status === 400) return new ValidationError('The request could not be understood.');
  return new AppError(500, 'internal_error', 'Something went wrong on our side. It has been logged.');
}

/**
 * The one error handler: logs with the request id, answers JSON under /api
 * (or when JSON is asked for) and an error page otherwise. Never a stack trace.
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appError = toAppError(err);
  if (appError.status >= 500) req.log?.error({ err }, 'request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(appError.status);
  if (appError.status === 503) res.setHeader('Retry-After', '5');
  if (appError instanceof TooManyRequestsError)
    res.setHeader('Retry-After', String(appError.retryAfterSeconds));
  if (wantsJson(req)) {
    res.json({
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.details && { fields: appError.details }),
      },
    });
    return;
  }
  const view = appError.status === 404 ? 'errors/404' : appError.status >= 500 ? 'errors/500' : 'errors/4xx';
  res.render(view, {
    title: appError.status === 404 ? 'Page not found' : 'Something went wrong',
    status: appError.status,
    message: appError.message,
    requestId: req.id,
  });
};
