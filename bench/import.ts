/**
 * npm run bench (third part): importing a generated 100,000-comment WXR file
 * (1,000 posts × 100 comments) into a fresh embedded database, through the
 * real `npm run import` command. Reports comments per second and the import
 * process's peak memory (its own, from /proc: see server/lib/peak-memory.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDb, withDatabase } from '../server/db/embedded';
import { generateWxr } from '../tools/generate-wxr';

const ROOT = path.resolve(__dirname, '..');
const POSTS = Number(process.env.BENCH_IMPORT_POSTS ?? 1000);
const PER_POST = Number(process.env.BENCH_IMPORT_PER_POST ?? 100);

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-bench-import-'));
  const file = path.join(dir, 'generated.xml');
  console.log(`[bench:import] generating ${POSTS} posts × ${PER_POST} comments`);
  await generateWxr(file, POSTS, PER_POST);
  console.log(
    `[bench:import] ${(statSync(file).size / 1e6).toFixed(1)} MB of WXR; starting the embedded database`,
  );
  const db = await startEmbeddedDb({
    binary: path.join(ROOT, 'tools/embedded-mongo/bin/embedded-mongo'),
    dataDir: path.join(dir, 'db'),
  });
  try {
    const started = Date.now();
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', 'wordpress', file], {
        cwd: ROOT,
        env: { ...process.env, MONGODB_URI: withDatabase(db.uri, 'benchimport'), SEED_ON_EMPTY: 'false' },
      });
      let text = '';
      child.stdout.on('data', (c: Buffer) => {
        text += c.toString();
        process.stdout.write(c);
      });
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      child.on('exit', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`import exited ${code}:\n${text}`)),
      );
    });
    const seconds = (Date.now() - started) / 1000;
    const peak = /peak memory: (\d+) MB/.exec(output)?.[1];
    const total = POSTS * PER_POST;
    console.log('\n| Comments | Wall time (s) | Comments/s | Peak memory (MB) |');
    console.log('| ---: | ---: | ---: | ---: |');
    console.log(
      `| ${total.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${Math.round(total / seconds)} | ${peak} |`,
    );
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`[bench:import] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
