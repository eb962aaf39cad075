/**
 * npm run seed [-- --reset]: writes the demo posts and threads (idempotent by
 * slug). --reset deletes every post and comment first. Uses MONGODB_URI, or
 * the embedded database in DATA_DIR like `npm start`.
 */
import { deleteAllComments } from '../server/services/comments/comment-store';
import { PostModel } from '../models/post';
import { seedDemoContent } from '../server/seed/seed';
import { openForScript, runScript } from './lib/boot';

async function main(): Promise<void> {
  const started = Date.now();
  const { close } = await openForScript('seed');
  try {
    if (process.argv.includes('--reset')) {
      console.log('[seed] --reset: deleting every post and comment');
      await deleteAllComments();
      await PostModel.deleteMany({});
    }
    const report = await seedDemoContent((message) => console.log(`[seed] ${message}`));
    console.log(
      `[seed] done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.posts} posts, ${report.comments} comments` +
        (report.skipped.length ? `; already there: ${report.skipped.join(', ')}` : ''),
    );
  } finally {
    await close();
  }
}

runScript('seed', main);
