import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

/**
 * The _id of an imported record, derived from where it came from
 * ("wordpress:comment:12:345"): importing the same file twice finds the
 * same ids (duplicates are skipped), and a reply can find its parent by _id,
 * the one lookup the embedded database answers from an index.
 */
export function idFor(sourceKey: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha1').update(sourceKey).digest('hex').slice(0, 24));
}
