import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Passport } from 'passport';
import { issueCsrf } from '../auth/csrf.js';
import type { Config } from '../config/index.js';
import { AppError, NotFoundError, TooManyRequestsError, ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { field, safeLocalPath, textOf } from './input/fields.js';
import { pathParam } from './input/params.js';
import type { SessionUser } from '../services/accounts/user-service.js';

const safeNext = (raw: unknown): string => safeLocalPath(raw, '/');

// eslint-disable-next-line max-lines-per-function -- a factory of route handlers: each handler inside is its own function, measured on its own
export function authController(
  services: Pick<Services, 'users' | 'accounts'>,
  config: Config,
  passport: InstanceType<typeof Passport>,
) {
  const secret = config.sessionSecret;

  function renderLogin(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    issueCsrf(req, res, secret);
    res.render('auth/login', {
      title: 'Sign in',
      next: safeNext(req.query.next ?? textOf(req.body, 'next')),
      ...extra,
    });
  }

  function renderRegister(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    issueCsrf(req, res, secret);
    res.render('auth/register', {
      title: 'Create an account',
      next: safeNext(req.query.next ?? textOf(req.body, 'next')),
      values: {},
      errors: {},
      ...extra,
    });
  }

  /** Passport's login rotates the session id; the CSRF token follows the new id. */
  function logIn(req: Request, res: Response, next: NextFunction, user: SessionUser, to: string) {
    req.login(user, (err) => {
      if (err) return next(err);
      issueCsrf(req, res, secret);
      req.session.save((saveErr) => (saveErr ? next(saveErr) : res.redirect(303, to)));
    });
  }

  return {
    loginForm: ((req, res) => renderLogin(req, res)) satisfies RequestHandler,

    login: ((req, res, next) => {
      const to = safeNext(field(req.body, 'next'));
      passport.authenticate('local', (err: unknown, user: SessionUser | false, info?: AppError) => {
        if (err instanceof AppError && err.status !== 500) {
          res.status(err.status);
          if (err instanceof TooManyRequestsError)
            res.setHeader('Retry-After', String(err.retryAfterSeconds));
          return renderLogin(req, res, { error: err.message, username: textOf(req.body, 'username') });
        }
        if (err) return next(err);
        if (!user) {
          res.status(info?.status === 401 ? 401 : 400);
          return renderLogin(req, res, {
            error: info?.message && info.status === 401 ? info.message : 'Enter your username and password.',
            username: textOf(req.body, 'username'),
          });
        }
        logIn(req, res, next, user, to);
      })(req, res, next);
    }) satisfies RequestHandler,

    registerForm: ((req, res) => renderRegister(req, res)) satisfies RequestHandler,

    register: (async (req, res, next) => {
      const values = { username: field(req.body, 'username'), email: field(req.body, 'email') };
      try {
        const user = await services.users.register({ ...values, password: field(req.body, 'password') });
        await services.accounts.afterRegister(user);
        logIn(req, res, next, user, safeNext(field(req.body, 'next')));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        res.status(400);
        renderRegister(req, res, {
          values,
          errors: err.details ?? {},
          summary: err.message,
          hasErrors: true,
        });
      }
    }) satisfies RequestHandler,

    /** GET /forgot */
    forgotForm: ((req, res) => {
      issueCsrf(req, res, secret);
      res.render('auth/forgot', { title: 'Forgot your password?', errors: {} });
    }) satisfies RequestHandler,

    /**
     * POST /forgot: the same answer whether or not an account has the address; the mail goes out
     * after it, so the time taken does not tell either.
     */
    forgot: (async (req, res) => {
      const email = field(req.body, 'email').trim();
      issueCsrf(req, res, secret);
      try {
        const { send } = await services.accounts.requestPasswordReset(email, req.ip ?? 'unknown');
        res.render('auth/forgot', { title: 'Forgot your password?', sent: true, email, errors: {} });
        send().catch((err: unknown) => req.log?.error({ err }, 'password reset mail failed'));
      } catch (err) {
        if (err instanceof TooManyRequestsError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
        if (!(err instanceof ValidationError) && !(err instanceof TooManyRequestsError)) throw err;
        res.status(err.status);
        res.render('auth/forgot', {
          title: 'Forgot your password?',
          email,
          errors: err instanceof ValidationError ? (err.details ?? {}) : {},
          summary: err.message,
          hasErrors: true,
        });
      }
    }) satisfies RequestHandler,

    /** GET /reset/:token */
    resetForm: (async (req, res) => {
      const token = pathParam(req, 'token');
      const account = await services.accounts.checkResetToken(token).catch((err: unknown) => {
        if (!(err instanceof NotFoundError)) throw err;
        return null;
      });
      // A used or expired link: say so, and offer a new one (not a bare "Page not found").
      if (!account) {
        res.status(404).render('auth/reset-expired', { title: 'This link has expired' });
        return;
      }
      issueCsrf(req, res, secret);
      res.render('auth/reset', { title: 'Set a new password', account: account.username, token, errors: {} });
    }) satisfies RequestHandler,

    /** POST /reset/:token: the new password; every session ends, and this browser is signed in anew. */
    reset: (async (req, res, next) => {
      const token = pathParam(req, 'token');
      try {
        const user = await services.accounts.resetPassword(token, field(req.body, 'password'));
        logIn(req, res, next, user, '/account?reset=1');
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const account = await services.accounts.checkResetToken(token);
        issueCsrf(req, res, secret);
        res.status(400).render('auth/reset', {
          title: 'Set a new password',
          account: account.username,
          token,
          errors: err.details ?? {},
          summary: err.message,
          hasErrors: true,
        });
      }
    }) satisfies RequestHandler,

    /** Logging out also rotates the session id (Passport regenerates the session). */
    logout: ((req, res, next) => {
      const who = req.user?.id;
      req.logout((err) => {
        if (err) return next(err);
        if (who) services.users.signedOut(who);
        res.redirect(303, '/');
      });
    }) satisfies RequestHandler,
  };
}
