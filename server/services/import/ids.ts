import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

/**
 * The _id of an imported record, derived from where it came from
 * ("wordpress:comment:12:345"): importing the same file twice finds the
 * same ids (duplicates are skipped), and a reply can find its parent by _id.
 * Given the record's date, the id starts with it as an ObjectId does (then
 * eight bytes of the hash): lists read newest first by _id show imported
 * comments in time order, and the indexes ending in _id grow at one end
 * while a large export is written, instead of everywhere at once.
 */
export function idFor(sourceKey: string, at?: Date): Types.ObjectId {
  const hash = createHash('sha1').update(sourceKey).digest('hex');
  if (!at) return new Types.ObjectId(hash.slice(0, 24));
  const seconds = Math.min(Math.max(Math.floor(at.getTime() / 1000), 0), 0xffffffff);
  return new Types.ObjectId(seconds.toString(16).padStart(8, '0') + hash.slice(0, 16));
}
