/**
 * npm run import -- wordpress FILE.xml [--report DIR] | disqus FILE.xml [--report DIR]
 * Streams the file into the database (MONGODB_URI, or the embedded one in
 * DATA_DIR), shows progress, and ends with a summary. Safe to run twice.
 * Writes DIR/report.txt (the summary and every skipped or changed record) and
 * DIR/urls.csv (each old address and its new one); DIR defaults to
 * import-reports/KIND-TIMESTAMP.
 */
import { createWriteStream, existsSync, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { csvRow } from '../server/lib/csv';
import { peakMemoryMb } from '../server/lib/peak-memory';
import { once } from 'node:events';
import { ImportReport } from '../server/services/import/report';
import { importDisqus } from '../server/services/import/disqus';
import { importWordpress } from '../server/services/import/wordpress';
import { MalformedXmlError } from '../server/services/import/xml-stream';
import { SearchIndex, type CommentSource, type PostSource } from '../server/services/search/search-index';
import { openForScript, runScript } from './lib/boot';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const reportAt = args.indexOf('--report');
  const reportDir =
    reportAt >= 0
      ? args.splice(reportAt, 2)[1]
      : path.join('import-reports', `${args[0]}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const [kind, file] = args;
  if (!['wordpress', 'disqus'].includes(kind ?? '') || !file) {
    console.error('Usage: npm run import -- wordpress|disqus FILE.xml [--report DIR]');
    process.exit(2);
  }
  if (!existsSync(file)) {
    console.error(`No such file: ${file}`);
    process.exit(2);
  }
  const { close: closeDatabase } = await openForScript('import');
  const started = Date.now();
  mkdirSync(reportDir, { recursive: true });
  const records = createWriteStream(path.join(reportDir, 'records.txt'));
  const urls = createWriteStream(path.join(reportDir, 'urls.csv'));
  urls.write(csvRow(['old', 'new']));
  const report = new ImportReport();
  report.onRecord = (line) => records.write(`${line}\n`);
  // One CSV writer for every CSV: a WordPress <link> of "=HYPERLINK(…)" lands as text, not a formula.
  report.onUrl = (from, to) => urls.write(csvRow([from, to]));
  // The search index follows the import: each post and each batch of comments as it is written.
  const search = new SearchIndex();
  report.onPostWritten = (post) => search.writePosts([post as PostSource], true);
  report.onCommentsWritten = async (written) => {
    const comments = written as CommentSource[];
    await search.writeComments(comments, await search.postFacts(comments), true);
  };
  try {
    console.log(`[import] reading ${kind} export ${file}`);
    const run = kind === 'wordpress' ? importWordpress : importDisqus;
    await run(file, (message) => console.log(`[import] ${message}`), report);
    const seconds = (Date.now() - started) / 1000;
    const total = report.comments.imported + report.comments.existing;
    console.log(
      `[import] done in ${seconds.toFixed(1)} s (${Math.round(total / Math.max(seconds, 0.001))} comments/s)`,
    );
    console.log(report.summary());
    await Promise.all([close(records), close(urls)]);
    writeFileSync(path.join(reportDir, 'report.txt'), `${report.summary()}\n`);
    console.log(
      `[import] report: ${path.join(reportDir, 'report.txt')}, every skipped or changed record: ` +
        `${path.join(reportDir, 'records.txt')}, old → new addresses: ${path.join(reportDir, 'urls.csv')}`,
    );
    console.log(`peak memory: ${peakMemoryMb()} MB`);
  } catch (err) {
    if (err instanceof MalformedXmlError) {
      console.error(
        `[import] ${err.message}. What was read before it has been imported; fix the file and run again.`,
      );
      process.exitCode = 1;
    } else throw err;
  } finally {
    await closeDatabase();
  }
}

async function close(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

runScript('import', main);
