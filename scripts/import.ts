/**
 * npm run import -- wordpress FILE.xml | disqus FILE.xml
 * Streams the file into the database (MONGODB_URI, or the embedded one in
 * DATA_DIR), shows progress, and ends with a summary. Safe to run twice.
 */
import { existsSync } from 'node:fs';
import { ensureSessionSecret, loadConfig } from '../server/config';
import { openDatabase } from '../server/db/open';
import { createLogger } from '../server/logger';
import { importDisqus } from '../server/services/import/disqus';
import { importWordpress } from '../server/services/import/wordpress';
import { MalformedXmlError } from '../server/services/import/xml-stream';
import { readEnvFile } from '../server/config/env-file';

async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  if (!['wordpress', 'disqus'].includes(kind ?? '') || !file) {
    console.error('Usage: npm run import -- wordpress FILE.xml   or   npm run import -- disqus FILE.xml');
    process.exit(2);
  }
  if (!existsSync(file)) {
    console.error(`No such file: ${file}`);
    process.exit(2);
  }
  readEnvFile();
  const config = loadConfig();
  ensureSessionSecret(config);
  const database = await openDatabase(config, createLogger('warn'));
  const started = Date.now();
  try {
    console.log(`[import] reading ${kind} export ${file}`);
    const run = kind === 'wordpress' ? importWordpress : importDisqus;
    const report = await run(file, (message) => console.log(`[import] ${message}`));
    const seconds = (Date.now() - started) / 1000;
    const total = report.comments.imported + report.comments.existing;
    console.log(
      `[import] done in ${seconds.toFixed(1)} s (${Math.round(total / Math.max(seconds, 0.001))} comments/s)`,
    );
    console.log(report.summary());
    console.log(`peak memory: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } catch (err) {
    if (err instanceof MalformedXmlError) {
      console.error(
        `[import] ${err.message}. What was read before it has been imported; fix the file and run again.`,
      );
      process.exitCode = 1;
    } else throw err;
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(`[import] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
