import type { Model } from 'mongoose';

/**
 * Whether a write was refused for a duplicate key: E11000, or, from the embedded database, an
 * update that a unique index refused, which it reports as an internal error (code 1, "UNIQUE
 * constraint failed"): an edit giving a post another post's address, an account another's name.
 */
export function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: number; message?: unknown } | null;
  if (e?.code === 11000) return true;
  return e?.code === 1 && typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed');
}

/**
 * `updateOne` with `upsert`, for a document that two processes may create at the same moment
 * (two web workers starting together, two sign-ins of one account). Both find nothing and both
 * insert; the database refuses the second with a duplicate key (the embedded database always, real
 * MongoDB when the key is not the `_id` alone). By then the document exists, so the same update is
 * applied to it once more: the caller's write is never lost to the race.
 */
export async function upsertOne(
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  filter: Record<string, unknown>,
  update: Record<string, unknown>,
): Promise<void> {
  try {
    await model.updateOne(filter, update, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await model.updateOne(filter, update, { upsert: true });
  }
}
