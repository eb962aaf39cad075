import { PostModel, type Post } from '../../models/post.js';
import { MigrationModel } from '../../models/migration.js';
import { UserModel, type User } from '../../models/user.js';
import { nameKey } from '../lib/name-key.js';
import { rebuildListings } from '../services/posts/post-listing.js';
import { docCount } from '../services/search/doc-count.js';
import { facetState } from '../services/search/facets.js';

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

/** In the order they were written; a name is never reused. */
const MIGRATIONS: { name: string; run: (progress: Progress) => Promise<unknown> }[] = [
  { name: '2026-11-post-author-name-keys', run: backfillAuthorNameKeys },
  { name: '2026-11-post-listings', run: rebuildListings },
  { name: '2026-11-name-keys-every-script', run: refoldNameKeys },
  {
    name: '2026-11-search-document-count',
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

/**
 * Runs the migrations this database has not had yet, at boot, each once. A migration that
 * fails stops the boot with its name; it runs again on the next start.
 */
export async function runMigrations(progress: Progress = () => undefined): Promise<string[]> {
  const ran: string[] = [];
  for (const migration of MIGRATIONS) {
    if (await MigrationModel.exists({ _id: migration.name })) continue;
    progress(`migration ${migration.name}: running`);
    await migration.run((message) => progress(`migration ${migration.name}: ${message}`));
    try {
      await MigrationModel.updateOne(
        { _id: migration.name },
        { $set: { finishedAt: new Date() } },
        { upsert: true },
      );
    } catch (err) {
      // Two processes starting together both ran it (migrations are idempotent) and both upserted
      // its record: the embedded database can refuse the second insert. The record is there.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    ran.push(migration.name);
  }
  return ran;
}
