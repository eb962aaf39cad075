import { createHash } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { PostListingModel } from '../../../models/post-listing.js';
import { PostModel, type Post } from '../../../models/post.js';

type Listed = Pick<Post, '_id' | 'status' | 'publishedAt' | 'tags'>;

/** The list a row belongs to: '' for every published post (home page, feed), else a tag. */
const ALL = '';

/**
 * A row's _id: the publication time (seconds, clamped to what four bytes hold) then eight
 * bytes that tell the post and the list apart, so sorting by _id sorts by publication time.
 */
export function listingId(publishedAt: Date, postId: Types.ObjectId, tag: string): Types.ObjectId {
  const seconds = Math.min(Math.max(Math.floor(publishedAt.getTime() / 1000), 0), 0xffffffff);
  const tail = createHash('sha1')
    .update(`${String(postId)}\0${tag}`)
    .digest('hex')
    .slice(0, 16);
  return new Types.ObjectId(seconds.toString(16).padStart(8, '0') + tail);
}

/** The rows a post should have: none unless published. */
function rowsFor(post: Listed): { _id: Types.ObjectId; post: Types.ObjectId; tag: string }[] {
  if (post.status !== 'published' || !post.publishedAt) return [];
  const at = new Date(post.publishedAt);
  return [ALL, ...new Set(post.tags ?? [])].map((tag) => ({
    _id: listingId(at, post._id, tag),
    post: post._id,
    tag,
  }));
}

/** Brings a post's rows in line with the post (after any write to its status, time or tags). */
export async function syncListing(post: Listed): Promise<void> {
  const wanted = rowsFor(post);
  const existing = await PostListingModel.find({ post: post._id }).select('_id').lean();
  const keep = new Set(wanted.map((r) => String(r._id)));
  const stale = existing.filter((r) => !keep.has(String(r._id))).map((r) => r._id);
  if (stale.length) {
    // trusted(): sanitizeFilter is on for every query; this operator is ours.
    await PostListingModel.deleteMany({ _id: mongoose.trusted({ $in: stale }) });
  }
  const have = new Set(existing.map((r) => String(r._id)));
  const missing = wanted.filter((r) => !have.has(String(r._id)));
  if (missing.length) {
    await insertRows(missing);
  }
}

/** Inserts rows; rows another process wrote first are identical, so duplicates are fine. */
async function insertRows(rows: ReturnType<typeof rowsFor>): Promise<void> {
  await PostListingModel.insertMany(rows, { ordered: false }).catch((err: unknown) => {
    const errors = (err as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
    if (!errors?.every((e) => (e.code ?? e.err?.code) === 11000)) throw err;
  });
}

/**
 * One page of a list, newest first: the post ids of rows `skip`…`skip + limit` (one more is
 * read to tell whether there is a next page). Reads only those rows, through the (tag, _id) index.
 */
export async function listedPostIds(
  tag: string,
  skip: number,
  limit: number,
): Promise<{ ids: Types.ObjectId[]; hasMore: boolean }> {
  const rows = await PostListingModel.find({ tag })
    .sort({ _id: -1 })
    .skip(skip)
    .limit(limit + 1)
    .select('post')
    .lean();
  return { ids: rows.slice(0, limit).map((r) => r.post), hasMore: rows.length > limit };
}

/** How many published posts a list holds: its rows, which are small (used for tags, not the home page). */
export function countListed(tag: string): Promise<number> {
  return PostListingModel.countDocuments({ tag });
}

/**
 * Writes the rows of every published post (a migration, and a repair): reads the published posts
 * once, in batches, printing its progress. Rows already there are kept, so several processes may
 * run it at once; a post that is unpublished later loses its rows through syncListing.
 */
export async function rebuildListings(
  progress: (message: string) => void = () => undefined,
): Promise<number> {
  let count = 0;
  const cursor = PostModel.find({ status: 'published' })
    .select('_id status publishedAt tags')
    .lean<Listed[]>()
    .cursor({ batchSize: 500 });
  let batch: ReturnType<typeof rowsFor> = [];
  for await (const post of cursor) {
    batch.push(...rowsFor(post));
    count += 1;
    if (batch.length >= 1000) {
      await insertRows(batch);
      batch = [];
      progress(`${count} published posts listed`);
    }
  }
  if (batch.length) await insertRows(batch);
  return count;
}
