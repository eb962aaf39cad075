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
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: string, done) => {
    users.findById(id).then(
      (user) => done(null, user ?? false),
      (err: unknown) => done(err),
    );
  });
  return passport;
}

function guard(call: () => void, done: (err: unknown) => void): void {
  try {
    call();
  } catch (err) {
    done(err);
  }
}
