/** npm run export -- wordpress FILE.xml: every post and comment as WXR 1.2. */
import { exportWordpress } from '../server/services/import/export-wordpress';
import { openForScript, runScript } from './lib/boot';

async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2);
  if (kind !== 'wordpress' || !file) {
    console.error('Usage: npm run export -- wordpress FILE.xml');
    process.exit(2);
  }
  const { config, close } = await openForScript('export');
  try {
    const result = await exportWordpress(
      file,
      { siteTitle: config.siteTitle, siteUrl: config.siteUrl },
      (m) => console.log(`[export] ${m}`),
    );
    console.log(`[export] wrote ${result.posts} posts and ${result.comments} comments to ${file}`);
  } finally {
    await close();
  }
}

runScript('export', main);
