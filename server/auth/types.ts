import type { SessionUser } from '../services/accounts/user-service.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // What Passport puts on req.user: the session's view of the account.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

declare module 'express-session' {
  interface SessionData {
    /** Set once a CSRF token has been issued for this session. */
    csrf?: boolean;
    /** Held comments this browser wrote as a guest, so it can see them awaiting moderation. */
    held?: string[];
    /** Posts whose letter-writer link this browser opened: post id → display name. */
    letterWriter?: Record<string, string>;
  }
}

export {};
