import { PostModel, type Post } from '../../models/post.js';
import { MigrationModel } from '../../models/migration.js';
import { UserModel, type User } from '../../models/user.js';
import { nameKey } from '../lib/name-key.js';
import { rebuildListings } from '../services/posts/post-listing.js';
import { docCount } from '../services/search/doc-count.js';
import { facetState } from '../services/search/facets.js';
import { upsertOne } from './upsert.js';

type Progress = (message: string) => void;

/** Backfills Post.authorNameKey, which replaced reading every post's author on each guest comment. */
async function backfillAuthorNameKeys(progress: Progress): Promise<void> {
  let done = 0;
  const cursor = PostModel.find({})
    .select('_id authorName authorNameKey')
    .lean<Post[]>()
    .cursor({ batchSize: 500 });
  for await (const post of cursor) {
    const key = nameKey(post.authorName);
    if (post.authorNameKey !== key)
      await PostModel.updateOne({ _id: post._id }, { $set: { authorNameKey: key } });
    done += 1;
    if (done % 1000 === 0) progress(`${done} posts`);
  }
}

/** Name keys keep letters of every script since 2026-11-27: recompute the stored ones. */
async function refoldNameKeys(progress: Progress): Promise<void> {
  await backfillAuthorNameKeys(progress);
  let done = 0;
  const cursor = UserModel.find({}).select('_id username nameKey').lean<User[]>().cursor({ batchSize: 500 });
  for await (const user of cursor) {
    const key = nameKey(user.username);
    if (user.nameKey !== key) await UserModel.updateOne({ _id: user._id }, { $set: { nameKey: key } });
    done += 1;
    if (done % 1000 === 0) progress(`${done} users`);
  }
}

interface Migration {
  name: string;
  run: (progress: Progress) => Promise<unknown>;
  /**
   * Reads the whole of a large collection: the site does not wait for it at start (it runs in the
   * background; what it fixes is a little off meanwhile), and scripts leave it to the site.
   */
  slow?: true;
}

/** In the order they were written; a name is never reused. */
const MIGRATIONS: Migration[] = [
  { name: '2026-11-post-author-name-keys', run: backfillAuthorNameKeys },
  { name: '2026-11-post-listings', run: rebuildListings },
  { name: '2026-11-name-keys-every-script', run: refoldNameKeys },
  {
    name: '2026-11-search-document-count',
    // Until it is done, search ranks with a rough document count.
    slow: true,
    run: async (progress) => {
      progress(
        'counting the search index’s documents, once (on the embedded database, about a minute a million)',
      );
      await docCount.recount();
    },
  },
  {
    name: '2026-11-search-filter-terms',
    run: async (progress) => {
      if (!(await facetState.check()))
        progress(
          'the search index has no filter terms yet: searches by thread, tag or author read index documents until `npm run reindex`',
        );
    },
  },
];

export interface MigrationOptions {
  /**
   * What to do with a slow migration: 'wait' for it (the default), 'skip' it (a script: the site
   * runs it), or a function that runs it in the background (the site at start).
   */
  slow?: 'wait' | 'skip' | ((name: string, run: () => Promise<void>) => void);
}

/**
 * A database this code created has every migration's shape already: with no record of any
 * migration and nothing in it, each is recorded as done without running (a fresh import is not
 * re-read at its first start).
 */
async function recordAllIfNew(): Promise<boolean> {
  if (await MigrationModel.exists({})) return false;
  // Every collection, not only those today's migrations touch: a later migration may touch any.
  const db = MigrationModel.db.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  for (const name of names)
    if (await db.collection(name).findOne({}, { projection: { _id: 1 } })) return false;
  for (const migration of MIGRATIONS) await record(migration.name);
  return true;
}

async function record(name: string): Promise<void> {
  // Two processes starting together both run it (migrations are idempotent) and both record it.
  await upsertOne(MigrationModel, { _id: name }, { $set: { finishedAt: new Date() } });
}

/**
 * Runs the migrations this database has not had yet, at boot, each once. A migration that
 * fails stops the boot with its name; it runs again on the next start. Returns the names of those
 * run now (not those left to the background).
 */
export async function runMigrations(
  progress: Progress = () => undefined,
  options: MigrationOptions = {},
): Promise<string[]> {
  if (await recordAllIfNew()) return [];
  const slow = options.slow ?? 'wait';
  const ran: string[] = [];
  for (const migration of MIGRATIONS) {
    if (await MigrationModel.exists({ _id: migration.name })) continue;
    const say = (message: string) => progress(`migration ${migration.name}: ${message}`);
    const run = async () => {
      await migration.run(say);
      await record(migration.name);
    };
    if (migration.slow && slow === 'skip') continue;
    if (migration.slow && typeof slow === 'function') {
      say('running in the background');
      slow(migration.name, run);
      continue;
    }
    say('running');
    await run();
    ran.push(migration.name);
  }
  return ran;
}
