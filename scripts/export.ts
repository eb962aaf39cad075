/** npm run export -- wordpress FILE.xml: every post and comment as WXR 1.2. */
import { ensureSessionSecret, loadConfig } from '../server/config';
import { openDatabase } from '../server/db/open';
import { createLogger } from '../server/logger';
import { exportWordpress } from '../server/services/import/export-wordpress';
import { readEnvFile } from '../server/config/env-file';

async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  if (kind !== 'wordpress' || !file) {
    console.error('Usage: npm run export -- wordpress FILE.xml');
    process.exit(2);
  }
  readEnvFile();
  const config = loadConfig();
  ensureSessionSecret(config);
  const database = await openDatabase(config, createLogger('warn'));
  try {
    const result = await exportWordpress(
      file,
      { siteTitle: config.siteTitle, siteUrl: config.siteUrl },
      (m) => console.log(`[export] ${m}`),
    );
    console.log(`[export] wrote ${result.posts} posts and ${result.comments} comments to ${file}`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(`[export] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
