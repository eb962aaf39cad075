import { randomFillSync } from 'node:crypto';

/** Bytes in an id: 96 bits, 16 characters of base64url. */
const ID_BYTES = 12;
/** Random bytes drawn at once and used once each: a draw per id costs more than the id. */
const pool = Buffer.alloc(ID_BYTES * 256);
let at = pool.length;

/** A new unguessable id (a form's one-time submission id), from the system's CSPRNG. */
export function freshId(): string {
  if (at + ID_BYTES > pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  const id = pool.toString('base64url', at, at + ID_BYTES);
  at += ID_BYTES;
  return id;
}
