import { loadConfig } from '../../../../server/config';
import { ForbiddenError, TooManyRequestsError } from '../../../../server/errors';
import { SharedRateLimiter } from '../../../../server/lib/shared-limiter';
import type { SessionUser } from '../../../../server/services/accounts/user-service';
import {
  ACCOUNTS_PER_ADDRESS,
  CommentGate,
  type Writer,
} from '../../../../server/services/comments/comment-gate';
import { screenComment } from '../../../../server/services/comments/comment-rules';
import type { SanctionService } from '../../../../server/services/moderation/sanction-service';

const DAY = 86400000;
const START = Date.UTC(2026, 2, 14, 12, 0);

type Post = Parameters<CommentGate['commentsOpen']>[0];
type Who = Parameters<SanctionService['assertMayPost']>[0];

/**
 * The gate's collaborators that would reach the database, replaced: sanctions is a stand-in that
 * records who was checked (and refuses when told to). The pace limiter is the real one, without
 * Redis, on the test's clock.
 */
function setup(env: Record<string, string> = {}) {
  let t = START;
  const now = () => t;
  const checked: Who[] = [];
  let refuse: Error | null = null;
  const sanctions = {
    assertMayPost: async (who: Who) => {
      checked.push(who);
      if (refuse) throw refuse;
    },
  } as unknown as SanctionService;
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const gate = new CommentGate(
    config,
    sanctions,
    now,
    (name, limit, windowMs) => new SharedRateLimiter(name, limit, windowMs, now, undefined),
  );
  return {
    gate,
    config,
    checked,
    advance: (ms: number) => {
      t += ms;
    },
    refuseWith: (err: Error | null) => {
      refuse = err;
    },
  };
}

const user = (id: string, role: SessionUser['role'] = 'commenter'): SessionUser => ({
  id,
  username: `user-${id}`,
  sessionVersion: 0,
  role,
});

const guest = (ipHash: string, email = ''): Writer => ({ ipHash, email });

async function refusal(promise: Promise<unknown>): Promise<TooManyRequestsError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TooManyRequestsError);
  return err as TooManyRequestsError;
}

describe('CommentGate.commentsOpen / assertOpen', () => {
  it('is closed whenever the post’s comments are closed', () => {
    const { gate } = setup();
    expect(gate.commentsOpen({ commentStatus: 'closed', publishedAt: new Date(START) } as Post)).toBe(false);
    expect(gate.commentsOpen({ commentStatus: 'closed', publishedAt: null } as Post)).toBe(false);
  });

  it('never closes by itself when AUTO_CLOSE_DAYS is 0 (the default)', () => {
    const { gate, config } = setup();
    expect(config.autoCloseDays).toBe(0);
    const ancient = { commentStatus: 'open', publishedAt: new Date(START - 3650 * DAY) } as Post;
    expect(gate.commentsOpen(ancient)).toBe(true);
  });

  it('closes AUTO_CLOSE_DAYS after publishing, to the millisecond', () => {
    const { gate } = setup({ AUTO_CLOSE_DAYS: '7' });
    const post = (ageMs: number) => ({ commentStatus: 'open', publishedAt: new Date(START - ageMs) }) as Post;
    expect(gate.commentsOpen(post(0))).toBe(true);
    expect(gate.commentsOpen(post(6 * DAY))).toBe(true);
    expect(gate.commentsOpen(post(7 * DAY - 1))).toBe(true);
    expect(gate.commentsOpen(post(7 * DAY))).toBe(false);
    expect(gate.commentsOpen(post(30 * DAY))).toBe(false);
  });

  it('follows the gate’s clock', () => {
    const { gate, advance } = setup({ AUTO_CLOSE_DAYS: '1' });
    const post = { commentStatus: 'open', publishedAt: new Date(START) } as Post;
    expect(gate.commentsOpen(post)).toBe(true);
    advance(DAY - 1);
    expect(gate.commentsOpen(post)).toBe(true);
    advance(1);
    expect(gate.commentsOpen(post)).toBe(false);
  });

  it('keeps a post without a publication date open (the close has nothing to count from)', () => {
    const { gate } = setup({ AUTO_CLOSE_DAYS: '7' });
    expect(gate.commentsOpen({ commentStatus: 'open', publishedAt: null } as Post)).toBe(true);
  });

  it('counts from a post published in the future as still open', () => {
    const { gate } = setup({ AUTO_CLOSE_DAYS: '1' });
    expect(gate.commentsOpen({ commentStatus: 'open', publishedAt: new Date(START + DAY) } as Post)).toBe(
      true,
    );
  });

  it('assertOpen throws a 403 comments_closed on a closed post, and nothing on an open one', () => {
    const { gate } = setup({ AUTO_CLOSE_DAYS: '7' });
    expect(() =>
      gate.assertOpen({ commentStatus: 'open', publishedAt: new Date(START) } as Post),
    ).not.toThrow();
    for (const post of [
      { commentStatus: 'closed', publishedAt: new Date(START) },
      { commentStatus: 'open', publishedAt: new Date(START - 8 * DAY) },
    ] as Post[]) {
      let thrown: unknown;
      try {
        gate.assertOpen(post);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ForbiddenError);
      expect((thrown as ForbiddenError).code).toBe('comments_closed');
      expect((thrown as ForbiddenError).status).toBe(403);
    }
  });
});

describe('CommentGate.admit: sanctions and pace', () => {
  it('checks sanctions for the user, else the letter writer’s account, with email and IP', async () => {
    const { gate, checked } = setup({ COMMENT_INTERVAL_SECONDS: '0' });
    await gate.admit({ user: user('u1'), email: '', ipHash: 'ip1' });
    await gate.admit({ account: user('a1'), email: 'w@example.com', ipHash: 'ip2' });
    await gate.admit(guest('ip3', 'g@example.com'));
    expect(checked).toEqual([
      { userId: 'u1', email: '', ipHash: 'ip1' },
      { userId: 'a1', email: 'w@example.com', ipHash: 'ip2' },
      { userId: undefined, email: 'g@example.com', ipHash: 'ip3' },
    ]);
  });

  it('passes a sanction refusal on, and counts no turn for it', async () => {
    const { gate, refuseWith } = setup();
    refuseWith(new ForbiddenError('banned', 'banned'));
    await expect(gate.admit(guest('ip1', 'a@example.com'))).rejects.toBeInstanceOf(ForbiddenError);
    refuseWith(null);
    await expect(gate.admit(guest('ip1', 'a@example.com'))).resolves.toEqual(expect.any(Function));
  });

  it('lets one comment through per COMMENT_INTERVAL_SECONDS from the same IP', async () => {
    const { gate, advance } = setup({ COMMENT_INTERVAL_SECONDS: '10' });
    await gate.admit(guest('ip1'));
    const err = await refusal(gate.admit(guest('ip1')));
    expect(err.status).toBe(429);
    expect(err.retryAfterSeconds).toBe(10);
    expect(err.message).toBe('You are commenting too quickly. Please wait 10 seconds and post again.');

    advance(9999);
    await refusal(gate.admit(guest('ip1')));
    advance(1);
    await expect(gate.admit(guest('ip1'))).resolves.toEqual(expect.any(Function));
  });

  it('rounds the wait up to whole seconds and says "1 second" in the singular', async () => {
    const { gate, advance } = setup({ COMMENT_INTERVAL_SECONDS: '10' });
    await gate.admit(guest('ip1'));
    advance(1001); // 8999 ms to wait
    expect((await refusal(gate.admit(guest('ip1')))).retryAfterSeconds).toBe(9);
    advance(8000); // 999 ms to wait
    const err = await refusal(gate.admit(guest('ip1')));
    expect(err.retryAfterSeconds).toBe(1);
    expect(err.message).toContain('Please wait 1 second and');
  });

  it('paces a guest by email too, across IPs', async () => {
    const { gate } = setup();
    await gate.admit(guest('ip1', 'a@example.com'));
    await refusal(gate.admit(guest('ip2', 'a@example.com')));
  });

  it('paces a signed-in user by account across IPs, and ignores their email', async () => {
    const { gate } = setup();
    await gate.admit({ user: user('u1'), email: 'a@example.com', ipHash: 'ip1' });
    await refusal(gate.admit({ user: user('u1'), email: '', ipHash: 'ip2' }));
    // Same email, but a different account on another IP: not paced by the email.
    await expect(gate.admit({ user: user('u2'), email: 'a@example.com', ipHash: 'ip3' })).resolves.toEqual(
      expect.any(Function),
    );
  });

  it('lets several accounts behind one address (an office, a mobile carrier) comment in the same interval, and bounds a flood of them', async () => {
    const { gate, advance } = setup({ COMMENT_INTERVAL_SECONDS: '10' });
    for (let i = 0; i < ACCOUNTS_PER_ADDRESS; i += 1) {
      await expect(gate.admit({ user: user(`u${i}`), email: '', ipHash: 'office' })).resolves.toEqual(
        expect.any(Function),
      );
    }
    const err = await refusal(gate.admit({ user: user('one-too-many'), email: '', ipHash: 'office' }));
    expect(err.message).toMatch(/^You are commenting too quickly/);
    // Each account keeps its own pace on the shared address.
    await refusal(gate.admit({ user: user('u0'), email: '', ipHash: 'office' }));
    advance(10000);
    await expect(gate.admit({ user: user('one-too-many'), email: '', ipHash: 'office' })).resolves.toEqual(
      expect.any(Function),
    );
  });

  it('still paces guests by address, one comment per interval, whatever email they type', async () => {
    const { gate } = setup({ COMMENT_INTERVAL_SECONDS: '10' });
    await gate.admit({ user: user('u1'), email: '', ipHash: 'office' });
    await gate.admit(guest('office', 'a@example.com'));
    await refusal(gate.admit(guest('office', 'b@example.com')));
  });

  it('keeps different writers on different IPs independent', async () => {
    const { gate } = setup();
    await gate.admit(guest('ip1', 'a@example.com'));
    await gate.admit(guest('ip2', 'b@example.com'));
    await gate.admit({ user: user('u1'), email: '', ipHash: 'ip3' });
  });

  it('gives back the turns it took when it refuses on another key', async () => {
    const { gate } = setup();
    await gate.admit(guest('ip1', 'a@example.com'));
    // ip2 is free but the email is not: refused, and ip2's turn is given back...
    await refusal(gate.admit(guest('ip2', 'a@example.com')));
    // ...so another writer on ip2 may comment at once.
    await expect(gate.admit(guest('ip2', 'b@example.com'))).resolves.toEqual(expect.any(Function));
  });

  it('returns an undo that gives the turn back when the comment is not written', async () => {
    const { gate } = setup();
    const undo = await gate.admit(guest('ip1', 'a@example.com'));
    await undo();
    await expect(gate.admit(guest('ip1', 'a@example.com'))).resolves.toEqual(expect.any(Function));
    await refusal(gate.admit(guest('ip1', 'a@example.com')));
  });

  it('lets exactly one of several simultaneous comments from one writer through', async () => {
    const { gate } = setup();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => gate.admit(guest('ip1', 'a@x.org'))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(TooManyRequestsError);
    }
  });

  it('does not pace staff', async () => {
    const { gate } = setup();
    for (const role of ['moderator', 'editor', 'admin'] as const) {
      const writer = { user: user(`staff-${role}`, role), email: '', ipHash: 'office' };
      await gate.admit(writer);
      await gate.admit(writer);
    }
  });

  it('does not pace anyone when COMMENT_INTERVAL_SECONDS is 0', async () => {
    const { gate } = setup({ COMMENT_INTERVAL_SECONDS: '0' });
    for (let i = 0; i < 5; i++) await gate.admit(guest('ip1', 'a@example.com'));
  });
});

describe('CommentGate.screen (the rules that need no database)', () => {
  const staff = { user: user('m1', 'moderator'), email: '', ipHash: 'ip' };

  it('refuses banned words even from staff', async () => {
    const { gate } = setup({ BANNED_WORDS: 'scam' });
    await expect(gate.screen(staff, 'what a scam', '<p>what a scam</p>')).resolves.toEqual({
      refuse: expect.stringContaining('(scam)'),
    });
  });

  it('does not hold staff or a trusted writer for links, suspect words or a first comment', async () => {
    const { gate } = setup({ SUSPECT_WORDS: 'casino', HOLD_LINKS_OVER: '0', HOLD_FIRST_COMMENT: 'true' });
    const html = '<p><a href="https://x.example">casino</a></p>';
    await expect(gate.screen(staff, 'casino', html)).resolves.toEqual({});
    await expect(gate.screen(guest('ip'), 'casino', html, true)).resolves.toEqual({});
  });

  it('holds the first comment of a guest with no email (there is no history to look up)', async () => {
    const { gate } = setup({ HOLD_FIRST_COMMENT: 'true' });
    await expect(gate.screen(guest('ip'), 'hello', '<p>hello</p>')).resolves.toEqual({
      hold: 'first comment',
    });
  });

  it('applies the link and suspect-word rules when first comments are not held', async () => {
    const { gate } = setup({ SUSPECT_WORDS: 'casino', HOLD_LINKS_OVER: '1' });
    const twoLinks = '<p><a href="https://a.example">a</a> <a href="https://b.example">b</a></p>';
    await expect(gate.screen(guest('ip'), 'a b', twoLinks)).resolves.toEqual({
      hold: '2 links (more than 1)',
    });
    await expect(gate.screen(guest('ip'), 'Casino night', '<p>Casino night</p>')).resolves.toEqual({
      hold: 'suspect words: casino',
    });
    await expect(gate.screen(guest('ip'), 'fine', '<p>fine</p>')).resolves.toEqual({});
  });
});

describe('screenComment', () => {
  const config = (overrides: Partial<Parameters<typeof screenComment>[1]> = {}) => ({
    bannedWords: [] as string[],
    suspectWords: [] as string[],
    holdLinksOver: 2,
    holdFirstComment: false,
    ...overrides,
  });
  const input = (
    body: string,
    html = `<p>${body}</p>`,
    extra: { isFirstComment?: boolean; trusted?: boolean } = {},
  ) => ({
    body,
    html,
    isFirstComment: false,
    trusted: false,
    ...extra,
  });
  const links = (n: number) =>
    `<p>${Array.from({ length: n }, (_, i) => `<a href="https://e${i}.example">l</a>`).join(' ')}</p>`;

  it('publishes a plain comment with the default rules', () => {
    expect(screenComment(input('Good advice.'), config())).toEqual({});
  });

  describe('banned words', () => {
    it('refuse the comment and name the words found', () => {
      expect(
        screenComment(input('This is a scam and spam'), config({ bannedWords: ['spam', 'scam', 'ham'] })),
      ).toEqual({
        refuse: 'Your comment uses words that are not allowed here (spam, scam). Please rephrase it.',
      });
    });

    it('match whole words regardless of case and punctuation', () => {
      const c = config({ bannedWords: ['scam'] });
      expect(screenComment(input('SCAM!'), c).refuse).toBeDefined();
      expect(screenComment(input('(Scam)'), c).refuse).toBeDefined();
      expect(screenComment(input('scammer'), c)).toEqual({});
      expect(screenComment(input('ascam'), c)).toEqual({});
    });

    it('keep straight apostrophes inside words', () => {
      expect(screenComment(input("Don't"), config({ bannedWords: ["don't"] })).refuse).toBeDefined();
      expect(screenComment(input('Don'), config({ bannedWords: ["don't"] }))).toEqual({});
    });

    it('match letters of any script as words', () => {
      expect(
        screenComment(input('Это мошенник.'), config({ bannedWords: ['мошенник'] })).refuse,
      ).toBeDefined();
    });

    it('match phrases (entries with a space) as written, ignoring case', () => {
      const c = config({ bannedWords: ['free money'] });
      expect(screenComment(input('Get FREE MONEY now'), c).refuse).toContain('(free money)');
      expect(screenComment(input('free and money'), c)).toEqual({});
    });

    it('come first: even trusted writers and otherwise held comments are refused', () => {
      const c = config({
        bannedWords: ['scam'],
        suspectWords: ['casino'],
        holdLinksOver: 0,
        holdFirstComment: true,
      });
      const result = screenComment(
        input('casino scam', links(5), { trusted: true, isFirstComment: true }),
        c,
      );
      expect(result.refuse).toBeDefined();
      expect(result.hold).toBeUndefined();
    });

    it('match banned phrases as whole words only (not inside "carefree moneylender")', () => {
      expect(screenComment(input('a carefree moneylender'), config({ bannedWords: ['free money'] }))).toEqual(
        {},
      );
    });

    it('match banned phrases across any whitespace ("free  money", "free\\nmoney")', () => {
      const c = config({ bannedWords: ['free money'] });
      expect(screenComment(input('free  money'), c).refuse).toBeDefined();
      expect(screenComment(input('free\nmoney'), c).refuse).toBeDefined();
    });

    it('read a curly apostrophe as a straight one', () => {
      expect(screenComment(input('Don\u2019t'), config({ bannedWords: ["don't"] })).refuse).toBeDefined();
    });
  });

  describe('holds', () => {
    it('hold a comment with more links than HOLD_LINKS_OVER', () => {
      const c = config({ holdLinksOver: 2 });
      expect(screenComment(input('x', links(2)), c)).toEqual({});
      expect(screenComment(input('x', links(3)), c)).toEqual({ hold: '3 links (more than 2)' });
    });

    it('hold any link when HOLD_LINKS_OVER is 0', () => {
      expect(screenComment(input('x', links(1)), config({ holdLinksOver: 0 }))).toEqual({
        hold: '1 link (more than 0)',
      });
      expect(screenComment(input('x', '<p>no links</p>'), config({ holdLinksOver: 0 }))).toEqual({});
    });

    it('count links in the HTML only (<a followed by whitespace)', () => {
      const c = config({ holdLinksOver: 0 });
      expect(screenComment(input('https://a.example', '<p>https://a.example</p>'), c)).toEqual({});
      expect(screenComment(input('x', '<p><abbr title="t">t</abbr></p>'), c)).toEqual({});
      expect(screenComment(input('x', '<p><a\nhref="https://a.example">a</a></p>'), c).hold).toBeDefined();
    });

    it('hold suspect words (whole words) and name them', () => {
      const c = config({ suspectWords: ['casino', 'crypto', 'lottery'] });
      expect(screenComment(input('Crypto casino!'), c)).toEqual({ hold: 'suspect words: casino, crypto' });
      expect(screenComment(input('casinos'), c)).toEqual({});
    });

    it('hold a first comment only when HOLD_FIRST_COMMENT is on', () => {
      expect(screenComment(input('hi', undefined, { isFirstComment: true }), config())).toEqual({});
      expect(
        screenComment(input('hi', undefined, { isFirstComment: true }), config({ holdFirstComment: true })),
      ).toEqual({
        hold: 'first comment',
      });
      expect(
        screenComment(input('hi', undefined, { isFirstComment: false }), config({ holdFirstComment: true })),
      ).toEqual({});
    });

    it('give the first reason that applies: links, then suspect words, then first comment', () => {
      const c = config({ suspectWords: ['casino'], holdLinksOver: 0, holdFirstComment: true });
      expect(screenComment(input('casino', links(1), { isFirstComment: true }), c).hold).toBe(
        '1 link (more than 0)',
      );
      expect(screenComment(input('casino', '<p>casino</p>', { isFirstComment: true }), c).hold).toBe(
        'suspect words: casino',
      );
      expect(screenComment(input('fine', '<p>fine</p>', { isFirstComment: true }), c).hold).toBe(
        'first comment',
      );
    });

    it('do not apply to trusted writers', () => {
      const c = config({ suspectWords: ['casino'], holdLinksOver: 0, holdFirstComment: true });
      expect(screenComment(input('casino', links(3), { trusted: true, isFirstComment: true }), c)).toEqual(
        {},
      );
    });
  });

  it('takes its word lists from config as lower-cased, trimmed, comma-separated entries', () => {
    const c = loadConfig({ NODE_ENV: 'test', BANNED_WORDS: ' Scam , FREE Money,,', SUSPECT_WORDS: 'Casino' });
    expect(c.bannedWords).toEqual(['scam', 'free money']);
    expect(screenComment(input('free money'), c).refuse).toContain('(free money)');
    expect(screenComment(input('CASINO'), c)).toEqual({ hold: 'suspect words: casino' });
  });

  it('refuses a banned word hidden by an HTML entity or Markdown emphasis, read as it renders', () => {
    const c = config({ bannedWords: ['scam'] });
    expect(screenComment(input('sc&#97;m', '<p>scam</p>'), c).refuse).toBeDefined();
    expect(screenComment(input('**sc**am', '<p><strong>sc</strong>am</p>'), c).refuse).toBeDefined();
  });
});
