/**
 * Every setting the server reads: its environment variable, default and
 * validation. `.env.example` lists the same names; a test keeps them in step.
 */
export interface Setting<T> {
  env: string;
  doc: string;
  default: T;
  parse(raw: string): T;
}

export class ConfigError extends Error {
  constructor(
    public readonly variable: string,
    /** What is wrong, without the variable's name: "must be between 0 and 100, got 101". */
    public readonly detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

type Parser<T> = (raw: string, env: string) => T;

function int(min: number, max: number): Parser<number> {
  return (raw, env) => {
    if (!/^\d+$/.test(raw.trim())) throw new ConfigError(env, `must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new ConfigError(env, `must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

function oneOf<T extends string>(...values: T[]): Parser<T> {
  return (raw, env) => {
    if (!(values as string[]).includes(raw)) {
      throw new ConfigError(env, `must be one of ${values.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  };
}

const text: Parser<string> = (raw) => raw;

/** An IANA time zone name the runtime knows ("Europe/London", "America/New_York", "UTC"). */
const timeZone: Parser<string> = (raw, env) => {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: raw.trim() }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigError(env, `must be a time zone name such as Europe/London or UTC, got "${raw}"`);
  }
};

function optionalUrl(...protocols: string[]): Parser<string> {
  return (raw, env) => {
    if (raw === '') return '';
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(env, `must be a URL, got "${raw}"`);
    }
    if (!protocols.includes(url.protocol)) {
      throw new ConfigError(env, `must start with ${protocols.join(' or ')}, got "${url.protocol}"`);
    }
    return raw;
  };
}

const bool: Parser<boolean> = (raw, env) => {
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off', ''].includes(raw.toLowerCase())) return false;
  throw new ConfigError(env, `must be true or false, got "${raw}"`);
};

const wordList: Parser<string[]> = (raw) =>
  raw
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);

function setting<T>(env: string, defaultValue: T, parse: Parser<T>, doc: string): Setting<T> {
  return { env, doc, default: defaultValue, parse: (raw) => parse(raw, env) };
}

export const schema = {
  nodeEnv: setting('NODE_ENV', 'development', oneOf('development', 'production', 'test'), 'Runtime mode.'),
  host: setting('HOST', '0.0.0.0', text, 'Address the HTTP server binds to.'),
  port: setting('PORT', 3000, int(0, 65535), 'HTTP port (0 picks a free port).'),
  siteTitle: setting('SITE_TITLE', 'Ask the Columnist', text, 'Site name shown in the header and feeds.'),
  siteDescription: setting(
    'SITE_DESCRIPTION',
    'Advice for the working week, and a place to argue about it kindly.',
    text,
    'One line about the site: the footer, the feed and the home page description.',
  ),
  siteTimeZone: setting(
    'SITE_TIME_ZONE',
    'UTC',
    timeZone,
    'The time zone editors schedule posts in ("Publish at"), e.g. America/New_York.',
  ),
  siteUrl: setting(
    'SITE_URL',
    'http://localhost:3000',
    optionalUrl('http:', 'https:'),
    'Public base URL, used in feeds.',
  ),
  logLevel: setting(
    'LOG_LEVEL',
    'info',
    oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    'pino log level.',
  ),
  mongodbUri: setting(
    'MONGODB_URI',
    '',
    optionalUrl('mongodb:', 'mongodb+srv:'),
    'MongoDB connection string. Empty: start the embedded FerretDB.',
  ),
  dataDir: setting(
    'DATA_DIR',
    './data',
    text,
    'Embedded database data directory (ignored with MONGODB_URI).',
  ),
  embeddedDbBinary: setting(
    'EMBEDDED_DB_BINARY',
    './tools/embedded-mongo/bin/embedded-mongo',
    text,
    'Path of the embedded FerretDB binary built by `npm install`.',
  ),
  dbName: setting('DB_NAME', 'advice', text, 'Database name used when the URI names none.'),
  backupDir: setting(
    'BACKUP_DIR',
    './backups',
    text,
    'Where `npm run backup` and scheduled backups of the embedded database go (made private to the owner).',
  ),
  backupEveryHours: setting(
    'BACKUP_EVERY_HOURS',
    0,
    int(0, 8760),
    'Back the embedded database up every N hours while the site runs (0: only by `npm run backup`).',
  ),
  backupKeep: setting(
    'BACKUP_KEEP',
    14,
    int(1, 10000),
    'Scheduled backups kept in BACKUP_DIR; older ones are deleted (backups made by hand are never deleted).',
  ),
  trustProxy: setting('TRUST_PROXY', false, bool, 'Trust X-Forwarded-* headers (behind a reverse proxy).'),
  seedOnEmpty: setting(
    'SEED_ON_EMPTY',
    true,
    bool,
    'Create demo content on first start with an empty database.',
  ),
  sessionSecret: setting(
    'SESSION_SECRET',
    '',
    text,
    'Signs session cookies and CSRF tokens. Required in production (32+ characters).',
  ),
  sessionMaxAgeDays: setting('SESSION_MAX_AGE_DAYS', 14, int(1, 365), 'How long a login lasts.'),
  allowGuestComments: setting(
    'ALLOW_GUEST_COMMENTS',
    true,
    bool,
    'Let visitors comment with a name, without an account.',
  ),
  accountEmailConfirmation: setting(
    'ACCOUNT_EMAIL_CONFIRMATION',
    'on',
    oneOf('off', 'on', 'required'),
    'New accounts confirm their email by a link: off; on (unconfirmed accounts may comment); required (they may not until confirmed).',
  ),
  commentEditMinutes: setting(
    'COMMENT_EDIT_WINDOW_MINUTES',
    15,
    int(0, 1440),
    'How long authors may edit a comment.',
  ),
  passwordCost: setting(
    'PASSWORD_COST',
    16,
    int(10, 20),
    'Password hashing cost: scrypt with N = 2^PASSWORD_COST (16: 64 MiB and about 0.2 s a hash, off the event loop).',
  ),
  loginMaxFailures: setting(
    'LOGIN_MAX_FAILURES',
    5,
    int(1, 100),
    'Failed logins allowed per IP and per account in the window.',
  ),
  loginMaxSignins: setting(
    'LOGIN_MAX_SIGNINS',
    20,
    int(1, 100000),
    'Sign-ins, successful ones too, allowed per account from one address in the window (five times as many per address).',
  ),
  loginWindowMinutes: setting('LOGIN_WINDOW_MINUTES', 15, int(1, 1440), 'The failed-login window.'),
  postsPerPage: setting('POSTS_PER_PAGE', 10, int(1, 100), 'Posts per home or tag page.'),
  commentsPerPage: setting('COMMENTS_PER_PAGE', 50, int(1, 500), 'Top-level comments per thread page.'),
  commentsMaxDepth: setting('COMMENTS_MAX_DEPTH', 5, int(1, 20), 'Deepest nesting shown on the page.'),
  redisUrl: setting(
    'REDIS_URL',
    '',
    optionalUrl('redis:', 'rediss:'),
    'Redis for the Socket.IO adapter, so live updates reach every process. Empty: one process alone.',
  ),
  socketEventsPer10s: setting(
    'SOCKET_EVENTS_PER_10S',
    30,
    int(1, 1000),
    'Events one socket may send per 10 s.',
  ),
  autoCloseDays: setting(
    'AUTO_CLOSE_DAYS',
    0,
    int(0, 3650),
    'Close comments this many days after publishing (0: never).',
  ),
  holdFirstComment: setting(
    'HOLD_FIRST_COMMENT',
    false,
    bool,
    "Hold a commenter's first comment for approval.",
  ),
  holdLinksOver: setting(
    'HOLD_LINKS_OVER',
    2,
    int(0, 100),
    'Hold comments with more links than this (0: any link).',
  ),
  suspectWords: setting(
    'SUSPECT_WORDS',
    [] as string[],
    wordList,
    'Comma-separated words that send a comment to moderation.',
  ),
  bannedWords: setting(
    'BANNED_WORDS',
    [] as string[],
    wordList,
    'Comma-separated words that refuse a comment outright.',
  ),
  reportsToHide: setting(
    'REPORTS_TO_HIDE',
    3,
    int(1, 1000),
    'Reports that hide a comment until a moderator reviews it.',
  ),
  commentIntervalSeconds: setting(
    'COMMENT_INTERVAL_SECONDS',
    10,
    int(0, 3600),
    'Minimum seconds between comments per account, guest email and guest address; accounts behind one address post 6 per interval together (0: no limit).',
  ),
  spamHoldScore: setting(
    'SPAM_HOLD_SCORE',
    90,
    int(0, 100),
    "Hold a comment whose spam score (0-100, from the classifier trained on this site's decisions) is at least this (0: off).",
  ),
  spamMinDecisions: setting(
    'SPAM_MIN_DECISIONS',
    100,
    int(10, 1000000),
    'Moderation decisions needed, at least a tenth of them each way, before the spam classifier scores comments.',
  ),
  spamRetrainMinutes: setting(
    'SPAM_RETRAIN_MINUTES',
    360,
    int(1, 10080),
    'How often the spam classifier is trained again on the latest decisions.',
  ),
  settingsPollSeconds: setting(
    'SETTINGS_POLL_SECONDS',
    5,
    int(1, 3600),
    'How often a process reads the settings admins changed (with Redis, a change arrives at once as well).',
  ),
  followDigestMinutes: setting(
    'FOLLOW_DIGEST_MINUTES',
    30,
    int(1, 10080),
    "A followed post's new comments are mailed as one digest at most this often.",
  ),
  smtpUrl: setting(
    'SMTP_URL',
    '',
    optionalUrl('smtp:', 'smtps:'),
    'SMTP server for outgoing mail. Empty: mail is captured in OUTBOX_DIR and nothing is sent.',
  ),
  mailFrom: setting(
    'MAIL_FROM',
    'Ask the Columnist <columnist@localhost>',
    text,
    'From address of outgoing mail.',
  ),
  outboxDir: setting(
    'OUTBOX_DIR',
    './data/outbox',
    text,
    'Where captured mail is written when SMTP_URL is empty.',
  ),
  askMinSeconds: setting(
    'ASK_MIN_SECONDS',
    3,
    int(0, 600),
    'Seconds the Ask form must be open before it may be sent.',
  ),
  askPerHour: setting('ASK_PER_HOUR', 5, int(1, 1000), 'Letters one address may send per hour.'),
  searchPerMinute: setting(
    'SEARCH_PER_MINUTE',
    60,
    int(0, 1000000),
    'Searches one address may make per minute, page and API alike (0: no limit; title suggestions are not counted).',
  ),
  threadCacheSize: setting(
    'THREAD_CACHE_SIZE',
    100,
    int(0, 10000),
    'Threads kept in memory between writes (0 turns the cache off).',
  ),
  pageCacheSize: setting(
    'PAGE_CACHE_SIZE',
    500,
    int(0, 100000),
    'Whole pages kept as bytes for readers without a session (0 turns the page cache off).',
  ),
  pageCacheSeconds: setting(
    'PAGE_CACHE_SECONDS',
    60,
    int(1, 3600),
    'Longest a cached page is served without a rebuild (writes invalidate it at once; this bounds writes from elsewhere).',
  ),
  webConcurrency: setting(
    'WEB_CONCURRENCY',
    0,
    int(0, 64),
    'Web worker processes sharing the port, the database and each other (0: one per core in production, one otherwise).',
  ),
  shutdownTimeoutMs: setting('SHUTDOWN_TIMEOUT_MS', 8000, int(100, 60000), 'Graceful shutdown deadline.'),
  shutdownGraceMs: setting(
    'SHUTDOWN_GRACE_MS',
    1000,
    int(0, 30000),
    'After SIGTERM, how long to keep serving (readiness 503, connections closing) before closing the listener.',
  ),
  maxInFlight: setting(
    'MAX_IN_FLIGHT',
    200,
    int(1, 100000),
    'Requests handled at once; past it, new ones get a quick 503 (a flood cannot pile up in memory). One client (address) holds at most an eighth of them.',
  ),
  requestTimeoutSeconds: setting(
    'REQUEST_TIMEOUT_SECONDS',
    30,
    int(2, 600),
    'How long a client has to send a whole request (headers within 10 s): a body that trickles in is cut off, not waited for.',
  ),
};

export type Schema = typeof schema;
export type Config = { [K in keyof Schema]: Schema[K]['default'] };
