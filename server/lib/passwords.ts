import { randomBytes, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import bcrypt from 'bcryptjs';
import { scryptLow } from './hash-workers.js';

/**
 * Password hashes, made and checked off the event loop: scrypt runs in threads of its own at a lower
 * priority (hash-workers.ts), so a burst of sign-ins costs CPU but never stalls pages, replies and
 * sockets, and on busy cores takes what they leave.
 * Stored as `$scrypt$ln=16,r=8,p=1$SALT$HASH` (base64, PHC style). Hashes from before (bcrypt,
 * `$2…`) still verify and are replaced at the next successful sign-in (`rehash`).
 */

const KEY_LENGTH = 32;
const BLOCK_SIZE = 8;
const PARALLEL = 1;
/**
 * Hashes at once: one core is left to the event loop, and one of libuv's pool threads to what else
 * uses the pool (files, compression, DNS); at least one hash runs.
 */
const POOL = Number(process.env.UV_THREADPOOL_SIZE) || 4;
const AT_ONCE = Math.max(1, Math.min(availableParallelism() - 1, POOL - 1));
/** Hashes that may wait for a turn; past it a sign-in is refused as busy rather than queued. */
const MAX_WAITING = 200;

let running = 0;
const waiting: (() => void)[] = [];

/** Too many password checks are waiting: the caller answers "busy, try again" (a 503). */
export class HashQueueFullError extends Error {}

/** Runs `work` when fewer than AT_ONCE hashes are running (first come, first served). */
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= AT_ONCE) {
    if (waiting.length >= MAX_WAITING) throw new HashQueueFullError('too many password checks waiting');
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, logN: number): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = {
    N,
    r: BLOCK_SIZE,
    p: PARALLEL,
    // scrypt needs 128·N·r bytes; Node refuses past maxmem (32 MiB by default).
    maxmem: 128 * N * BLOCK_SIZE * PARALLEL + 1024 * 1024,
  };
  return inTurn(() => scryptLow(password.normalize('NFKC'), salt, KEY_LENGTH, options));
}

/** A new hash of `password` at cost 2^logN. */
export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, logN);
  return `$scrypt$ln=${logN},r=${BLOCK_SIZE},p=${PARALLEL}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const SCRYPT = /^\$scrypt\$ln=(1\d|20),r=8,p=1\$([A-Za-z0-9+/=]{16,64})\$([A-Za-z0-9+/=]{16,128})$/;

/** Whether a stored hash is one this module can check (an imported account may have none). */
export function isUsableHash(stored: string | undefined | null): boolean {
  return Boolean(stored && (SCRYPT.test(stored) || stored.startsWith('$2')));
}

/**
 * Checks a password against a stored hash; `rehash` says the hash should be replaced by one at
 * the current cost (a bcrypt hash, or scrypt at another cost).
 */
export async function verifyPassword(
  password: string,
  stored: string,
  logN: number,
): Promise<{ ok: boolean; rehash: boolean }> {
  const match = SCRYPT.exec(stored);
  if (match) {
    const expected = Buffer.from(match[3], 'base64');
    const key = await derive(password, Buffer.from(match[2], 'base64'), Number(match[1]));
    const ok = key.length === expected.length && timingSafeEqual(key, expected);
    return { ok, rehash: ok && Number(match[1]) !== logN };
  }
  if (stored.startsWith('$2')) {
    // bcryptjs's async compare works in small steps between other events; only old accounts, once.
    const ok = await inTurn(() => bcrypt.compare(password, stored));
    return { ok, rehash: ok };
  }
  return { ok: false, rehash: false };
}

/** The cost a stored scrypt hash was made at (undefined for any other). */
export function costOf(stored: string): number | undefined {
  const match = SCRYPT.exec(stored);
  return match ? Number(match[1]) : undefined;
}
