import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { AppError } from '../errors/index.js';
import type { UserService } from '../services/accounts/user-service.js';
import './types.js';

/** A Passport instance with the local strategy; sessions hold only the user id. */
export function createPassport(users: UserService): InstanceType<typeof Passport> {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ passReqToCallback: true }, (req, username, password, done) => {
      // done() runs the route's callback: whatever it throws goes to the error handler, never
      // out of this promise as an unhandled rejection.
      users.authenticate(username, password, req.ip ?? 'unknown').then(
        (user) => guard(() => done(null, user), done),
        (err: unknown) =>
          guard(
            () => (err instanceof AppError && err.status === 401 ? done(null, false, err) : done(err)),
            done,
          ),
      );
    }),
  );
  // The session holds the account id and its session version: a new password raises the version,
  // and every session made before it ends. (Sessions from before versions hold the bare id.)
  passport.serializeUser((user, done) => done(null, `${user.id}.${user.sessionVersion}`));
  passport.deserializeUser((stored: string, done) => {
    userOfSession(users, stored).then(
      (user) => done(null, user ?? false),
      (err: unknown) => done(err),
    );
  });
  return passport;
}

/** The account a session's stored "<id>.<version>" speaks for, or null (gone, or signed out everywhere since). */
export async function userOfSession(users: UserService, stored: unknown) {
  const [id, version = '0'] = String(stored).split('.');
  const user = await users.findById(id);
  return user && String(user.sessionVersion) === version ? user : null;
}

function guard(call: () => void, done: (err: unknown) => void): void {
  try {
    call();
  } catch (err) {
    done(err);
  }
}
