/**
 * npm run seed [-- --reset]: writes the demo posts and threads (idempotent by
 * slug). --reset deletes every post and comment first. Uses MONGODB_URI, or
 * the embedded database in DATA_DIR like `npm start`.
 */
import { CommentModel } from '../models/comment';
import { PostModel } from '../models/post';
import { ensureSessionSecret, loadConfig } from '../server/config';
import { openDatabase } from '../server/db/open';
import { createLogger } from '../server/logger';
import { seedDemoContent } from '../server/seed/seed';
import { readEnvFile } from '../server/config/env-file';

async function main(): Promise<void> {
  readEnvFile();
  const config = loadConfig();
  ensureSessionSecret(config);
  const logger = createLogger('warn');
  const started = Date.now();
  console.log(
    `[seed] opening the ${config.mongodbUri ? 'MongoDB at MONGODB_URI' : `embedded database in ${config.dataDir}`}`,
  );
  const database = await openDatabase(config, logger);
  try {
    if (process.argv.includes('--reset')) {
      console.log('[seed] --reset: deleting every post and comment');
      await CommentModel.deleteMany({});
      await PostModel.deleteMany({});
    }
    const report = await seedDemoContent((message) => console.log(`[seed] ${message}`));
    console.log(
      `[seed] done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${report.posts} posts, ${report.comments} comments` +
        (report.skipped.length ? `; already there: ${report.skipped.join(', ')}` : ''),
    );
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(`[seed] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
