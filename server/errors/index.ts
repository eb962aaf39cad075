/**
 * Typed errors. Services throw these; the error middleware turns them into an
 * HTML page or `{ error: { code, message } }` JSON. `details` carries
 * per-field messages for forms.
 */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, string>) {
    super(400, 'validation_failed', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'You need to sign in to do that.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do that.', code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'We could not find that page.') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, string>) {
    super(409, 'conflict', message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'That request is too large.') {
    super(413, 'payload_too_large', message);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message = 'The database is not available right now. Please try again in a moment.') {
    super(503, 'service_unavailable', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    public readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', message);
  }
}
