import type { RequestHandler } from 'express';
import session from 'express-session';
import type { Passport } from 'passport';
import type { Config } from '../config/index.js';
import type { UserService } from '../services/accounts/user-service.js';
import { createPassport } from './passport.js';
import { MongoSessionStore } from './session-store.js';

/** The session cookie's name: a request without it has no session (readers who only browse). */
export const SESSION_COOKIE = 'sid';

export interface WebAuth {
  session: RequestHandler;
  passport: InstanceType<typeof Passport>;
  /** Where sessions are kept (signed-in pages answered before Express read it too). */
  store: session.Store;
}

/**
 * The session cookie and Passport, built once and shared by the Express app
 * and the Socket.IO server, so a socket is signed in exactly when its page is.
 */
export function createWebAuth(deps: { config: Config; users: UserService; store?: session.Store }): WebAuth {
  const { config } = deps;
  const maxAgeMs = config.sessionMaxAgeDays * 24 * 3600 * 1000;
  const store = deps.store ?? new MongoSessionStore({ maxAgeMs, sweepEveryMs: 0 });
  return {
    store,
    passport: createPassport(deps.users),
    session: session({
      name: SESSION_COOKIE,
      store,
      secret: config.sessionSecret,
      resave: false,
      // Readers who only browse get no session and no cookie.
      saveUninitialized: false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.siteUrl.startsWith('https:'),
        maxAge: maxAgeMs,
      },
    }),
  };
}
