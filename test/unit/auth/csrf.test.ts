import type { NextFunction, Request, Response } from 'express';
import {
  csrfProtection,
  guestToken,
  isGuestToken,
  issueCsrf,
  requireCsrfSession,
  sentToken,
} from '../../../server/auth/csrf';
import { ForbiddenError } from '../../../server/errors';

const SECRET = 'unit-test-secret-that-is-long-enough-000';
const OTHER_SECRET = 'another-secret-that-is-also-long-enough-0';
const HOUR = 3600000;
const NOW = Date.UTC(2026, 2, 14, 10, 30); // half past ten
const SITE = { sessionSecret: SECRET, siteUrl: 'https://advice.example' };

interface FakeRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  session?: Record<string, unknown>;
  sessionID?: string;
  user?: unknown;
  originalUrl?: string;
}

/** The few parts of an Express request the CSRF code reads. */
function fakeReq(opts: FakeRequest = {}): Request {
  const headers = opts.headers ?? {};
  return {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body,
    session: opts.session,
    sessionID: opts.sessionID ?? 'session-1',
    user: opts.user,
    originalUrl: opts.originalUrl ?? '/posts/some-post/comments',
    get: (name: string) => headers[name.toLowerCase()],
  } as unknown as Request;
}

function fakeRes(): Response {
  return { locals: {} } as unknown as Response;
}

/** Runs a middleware and returns what it passed to next(): undefined when it let the request on. */
function run(
  handler: (req: Request, res: Response, next: NextFunction) => unknown,
  req: Request,
  res = fakeRes(),
): unknown {
  let called = false;
  let passed: unknown;
  handler(req, res, (err?: unknown) => {
    called = true;
    passed = err;
  });
  expect(called).toBe(true);
  return passed;
}

/** The token a session is given (what its forms send back). */
function sessionTokenFor(sessionID: string, secret = SECRET): string {
  return issueCsrf(fakeReq({ sessionID, session: {} }), fakeRes(), secret);
}

function expectForbidden(result: unknown, code: string): void {
  expect(result).toBeInstanceOf(ForbiddenError);
  expect((result as ForbiddenError).status).toBe(403);
  expect((result as ForbiddenError).code).toBe(code);
}

describe('guestToken / isGuestToken', () => {
  it('has the form g.<hour>.<signature>, the same for everyone within an hour', () => {
    const token = guestToken(SECRET, NOW);
    const hour = Math.floor(NOW / HOUR);
    expect(token).toMatch(new RegExp(`^g\\.${hour}\\.[\\w-]{43}$`));
    expect(guestToken(SECRET, Math.floor(NOW / HOUR) * HOUR)).toBe(token); // start of the hour
    expect(guestToken(SECRET, (hour + 1) * HOUR - 1)).toBe(token); // its last millisecond
  });

  it('changes at the hour boundary and with the secret', () => {
    const hour = Math.floor(NOW / HOUR);
    expect(guestToken(SECRET, (hour + 1) * HOUR)).not.toBe(guestToken(SECRET, NOW));
    expect(guestToken(OTHER_SECRET, NOW)).not.toBe(guestToken(SECRET, NOW));
  });

  it('accepts a token of the current hour', () => {
    expect(isGuestToken(SECRET, guestToken(SECRET, NOW), NOW)).toBe(true);
  });

  it('stays valid for the rest of its hour and the next 23, then expires', () => {
    const hour = Math.floor(NOW / HOUR);
    const token = guestToken(SECRET, NOW);
    expect(isGuestToken(SECRET, token, (hour + 1) * HOUR)).toBe(true);
    expect(isGuestToken(SECRET, token, (hour + 23) * HOUR)).toBe(true);
    expect(isGuestToken(SECRET, token, (hour + 24) * HOUR - 1)).toBe(true);
    expect(isGuestToken(SECRET, token, (hour + 24) * HOUR)).toBe(false);
    expect(isGuestToken(SECRET, token, (hour + 100) * HOUR)).toBe(false);
  });

  it('accepts a token up to one hour ahead (clock skew), not more', () => {
    const hour = Math.floor(NOW / HOUR);
    expect(isGuestToken(SECRET, guestToken(SECRET, (hour + 1) * HOUR), NOW)).toBe(true);
    expect(isGuestToken(SECRET, guestToken(SECRET, (hour + 2) * HOUR), NOW)).toBe(false);
  });

  it('refuses a token signed with another secret', () => {
    expect(isGuestToken(SECRET, guestToken(OTHER_SECRET, NOW), NOW)).toBe(false);
  });

  it('refuses tampered tokens', () => {
    const token = guestToken(SECRET, NOW);
    const [, hour, sig] = token.split('.');
    const flipped = sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A');
    expect(isGuestToken(SECRET, `g.${hour}.${flipped}`, NOW)).toBe(false);
    // Another hour's number with this hour's signature.
    expect(isGuestToken(SECRET, `g.${Number(hour) - 1}.${sig}`, NOW)).toBe(false);
    // Wrong prefix, missing or extra parts, surrounding space, truncated signature.
    expect(isGuestToken(SECRET, `s.${hour}.${sig}`, NOW)).toBe(false);
    expect(isGuestToken(SECRET, `g.${sig}`, NOW)).toBe(false);
    expect(isGuestToken(SECRET, `${token}.x`, NOW)).toBe(false);
    expect(isGuestToken(SECRET, ` ${token}`, NOW)).toBe(false);
    expect(isGuestToken(SECRET, `${token}\n`, NOW)).toBe(false);
    expect(isGuestToken(SECRET, token.slice(0, -1), NOW)).toBe(false);
    expect(isGuestToken(SECRET, `g.-${hour}.${sig}`, NOW)).toBe(false);
  });

  it('refuses anything that is not a string', () => {
    const token = guestToken(SECRET, NOW);
    for (const value of [undefined, null, 42, [token], { token }]) {
      expect(isGuestToken(SECRET, value, NOW)).toBe(false);
    }
  });

  it('refuses a session token in place of a guest token', () => {
    expect(isGuestToken(SECRET, sessionTokenFor('session-1'), NOW)).toBe(false);
  });

  it('uses the real clock by default', () => {
    expect(isGuestToken(SECRET, guestToken(SECRET))).toBe(true);
  });
});

describe('issueCsrf', () => {
  it('marks the session, exposes the token to templates and returns it', () => {
    const session: Record<string, unknown> = {};
    const res = fakeRes();
    const token = issueCsrf(fakeReq({ session, sessionID: 'abc' }), res, SECRET);
    expect(session.csrf).toBe(true);
    expect(res.locals.csrfToken).toBe(token);
    expect(token).toMatch(/^[\w-]{43}$/);
  });

  it('gives the same session the same token, and other sessions or secrets other tokens', () => {
    expect(sessionTokenFor('abc')).toBe(sessionTokenFor('abc'));
    expect(sessionTokenFor('abc')).not.toBe(sessionTokenFor('abd'));
    expect(sessionTokenFor('abc', OTHER_SECRET)).not.toBe(sessionTokenFor('abc'));
  });

  it('works without a session object', () => {
    const res = fakeRes();
    expect(() => issueCsrf(fakeReq({ session: undefined }), res, SECRET)).not.toThrow();
    expect(typeof res.locals.csrfToken).toBe('string');
  });
});

describe('sentToken', () => {
  it('prefers the _csrf form field', () => {
    const req = fakeReq({ body: { _csrf: 'from-form' }, headers: { 'x-csrf-token': 'from-header' } });
    expect(sentToken(req)).toBe('from-form');
  });

  it('falls back to the X-CSRF-Token header', () => {
    expect(sentToken(fakeReq({ headers: { 'x-csrf-token': 'from-header' } }))).toBe('from-header');
    expect(sentToken(fakeReq({ body: {}, headers: { 'x-csrf-token': 'h' } }))).toBe('h');
  });

  it('ignores a _csrf field that is not a string', () => {
    const req = fakeReq({ body: { _csrf: ['a', 'b'] }, headers: { 'x-csrf-token': 'h' } });
    expect(sentToken(req)).toBe('h');
    expect(sentToken(fakeReq({ body: { _csrf: 1 } }))).toBeUndefined();
  });

  it('is undefined when nothing was sent', () => {
    expect(sentToken(fakeReq())).toBeUndefined();
  });
});

describe('csrfProtection', () => {
  const protect = csrfProtection(SITE);

  describe('safe methods', () => {
    it('lets GET, HEAD and OPTIONS through without a token', () => {
      for (const method of ['GET', 'HEAD', 'OPTIONS']) {
        expect(run(protect, fakeReq({ method }))).toBeUndefined();
      }
    });

    it('lets a safe request through even when it says it comes from another site', () => {
      const req = fakeReq({ method: 'GET', headers: { 'sec-fetch-site': 'cross-site' } });
      expect(run(protect, req)).toBeUndefined();
    });

    it('gives a guest (no session) the guest token of the hour', () => {
      const res = fakeRes();
      run(protect, fakeReq(), res);
      expect(isGuestToken(SECRET, res.locals.csrfToken)).toBe(true);
    });

    it('gives a session that was issued a token its session token', () => {
      const res = fakeRes();
      run(protect, fakeReq({ session: { csrf: true }, sessionID: 'abc' }), res);
      expect(res.locals.csrfToken).toBe(sessionTokenFor('abc'));
    });

    it('treats a signed-in user, a letter writer or held comments as a session, and marks it', () => {
      const cases: FakeRequest[] = [
        { session: {}, user: { id: 'u1', username: 'reader', role: 'commenter' } },
        { session: { letterWriter: { post1: 'Worried in Ohio' } } },
        { session: { held: ['c1'] } },
      ];
      for (const opts of cases) {
        const res = fakeRes();
        const req = fakeReq({ ...opts, sessionID: 'abc' });
        run(protect, req, res);
        expect(res.locals.csrfToken).toBe(sessionTokenFor('abc'));
        expect((req.session as unknown as Record<string, unknown>).csrf).toBe(true);
      }
    });

    it('treats an empty session (no csrf, user, letter writer or held comments) as a guest', () => {
      const res = fakeRes();
      const session: Record<string, unknown> = { held: [] };
      run(protect, fakeReq({ session }), res);
      expect(isGuestToken(SECRET, res.locals.csrfToken)).toBe(true);
      expect(session.csrf).toBeUndefined();
    });
  });

  describe('guests', () => {
    it('accept a POST with the guest token in the form', () => {
      const req = fakeReq({ method: 'POST', body: { _csrf: guestToken(SECRET) } });
      expect(run(protect, req)).toBeUndefined();
    });

    it('accept the guest token in the X-CSRF-Token header', () => {
      const req = fakeReq({ method: 'POST', headers: { 'x-csrf-token': guestToken(SECRET) } });
      expect(run(protect, req)).toBeUndefined();
    });

    it('treat PUT, PATCH and DELETE as state-changing too', () => {
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        expectForbidden(run(protect, fakeReq({ method })), 'csrf_failed');
        expect(run(protect, fakeReq({ method, body: { _csrf: guestToken(SECRET) } }))).toBeUndefined();
      }
    });

    it('refuse a POST with no token, a tampered token or an expired one', () => {
      const token = guestToken(SECRET);
      const expired = guestToken(SECRET, Date.now() - 25 * HOUR);
      for (const sent of [undefined, '', `${token}x`, guestToken(OTHER_SECRET), expired]) {
        const req = fakeReq({ method: 'POST', body: sent === undefined ? {} : { _csrf: sent } });
        expectForbidden(run(protect, req), 'csrf_failed');
      }
    });

    it('refuse a session token (a guest has none to send)', () => {
      const req = fakeReq({ method: 'POST', body: { _csrf: sessionTokenFor('session-1') } });
      expectForbidden(run(protect, req), 'csrf_failed');
    });
  });

  describe('sessions', () => {
    it('accept their own session token', () => {
      const req = fakeReq({
        method: 'POST',
        session: { csrf: true },
        sessionID: 'abc',
        body: { _csrf: sessionTokenFor('abc') },
      });
      expect(run(protect, req)).toBeUndefined();
    });

    it('refuse another session’s token, a guest token, or none', () => {
      for (const sent of [sessionTokenFor('other'), guestToken(SECRET), undefined]) {
        const req = fakeReq({
          method: 'POST',
          session: { csrf: true },
          sessionID: 'abc',
          body: sent === undefined ? {} : { _csrf: sent },
        });
        expectForbidden(run(protect, req), 'csrf_failed');
      }
    });

    it('need a token even on /api with no cookie header', () => {
      const req = fakeReq({ method: 'POST', session: { csrf: true }, originalUrl: '/api/comments' });
      expectForbidden(run(protect, req), 'csrf_failed');
    });
  });

  describe('scripts on /api', () => {
    it('need no token when they send no cookie at all', () => {
      expect(run(protect, fakeReq({ method: 'POST', originalUrl: '/api/comments' }))).toBeUndefined();
    });

    it('need a token when they send a cookie', () => {
      const req = fakeReq({ method: 'POST', originalUrl: '/api/comments', headers: { cookie: 'a=b' } });
      expectForbidden(run(protect, req), 'csrf_failed');
    });

    it('only on /api/: other paths need a token without a cookie too', () => {
      expectForbidden(run(protect, fakeReq({ method: 'POST', originalUrl: '/apiary' })), 'csrf_failed');
      expectForbidden(run(protect, fakeReq({ method: 'POST', originalUrl: '/login' })), 'csrf_failed');
    });
  });

  describe('cross-site requests', () => {
    const valid = () => ({ _csrf: guestToken(SECRET) });

    it('refuse Sec-Fetch-Site cross-site or same-site, even with a valid token', () => {
      for (const fetchSite of ['cross-site', 'same-site']) {
        const req = fakeReq({ method: 'POST', body: valid(), headers: { 'sec-fetch-site': fetchSite } });
        expectForbidden(run(protect, req), 'cross_site');
      }
    });

    it('refuse them for sessions too, and before looking at the token', () => {
      const req = fakeReq({
        method: 'POST',
        session: { csrf: true },
        sessionID: 'abc',
        body: { _csrf: sessionTokenFor('abc') },
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      expectForbidden(run(protect, req), 'cross_site');
    });

    it('accept Sec-Fetch-Site same-origin and none', () => {
      for (const fetchSite of ['same-origin', 'none']) {
        const req = fakeReq({ method: 'POST', body: valid(), headers: { 'sec-fetch-site': fetchSite } });
        expect(run(protect, req)).toBeUndefined();
      }
    });

    it('let Sec-Fetch-Site decide over Origin', () => {
      const req = fakeReq({
        method: 'POST',
        body: valid(),
        headers: { 'sec-fetch-site': 'same-origin', origin: 'null' },
      });
      expect(run(protect, req)).toBeUndefined();
    });

    it('without Sec-Fetch-Site, refuse an Origin of another site or "null"', () => {
      for (const origin of [
        'https://evil.example',
        'null',
        'http://advice.example.evil.example',
        'garbage',
      ]) {
        const req = fakeReq({ method: 'POST', body: valid(), headers: { origin } });
        expectForbidden(run(protect, req), 'cross_site');
      }
    });

    it('accept the site’s own origin, or the Host the request was sent to (any scheme)', () => {
      const own = fakeReq({ method: 'POST', body: valid(), headers: { origin: 'https://advice.example' } });
      expect(run(protect, own)).toBeUndefined();
      const proxied = fakeReq({
        method: 'POST',
        body: valid(),
        headers: { origin: 'http://internal:8080', host: 'internal:8080' },
      });
      expect(run(protect, proxied)).toBeUndefined();
    });

    it('refuse the site’s host under another port', () => {
      const req = fakeReq({
        method: 'POST',
        body: valid(),
        headers: { origin: 'https://advice.example:8443' },
      });
      expectForbidden(run(protect, req), 'cross_site');
    });

    it('judge requests with neither header by their token alone', () => {
      expect(run(protect, fakeReq({ method: 'POST', body: valid() }))).toBeUndefined();
      expectForbidden(run(protect, fakeReq({ method: 'POST' })), 'csrf_failed');
    });
  });
});

describe('requireCsrfSession', () => {
  it('lets a session that was issued a token through', () => {
    expect(run(requireCsrfSession, fakeReq({ method: 'POST', session: { csrf: true } }))).toBeUndefined();
  });

  it('refuses a request whose session was never issued one, or that has no session', () => {
    expectForbidden(run(requireCsrfSession, fakeReq({ method: 'POST', session: {} })), 'csrf_failed');
    expectForbidden(run(requireCsrfSession, fakeReq({ method: 'POST' })), 'csrf_failed');
  });
});
