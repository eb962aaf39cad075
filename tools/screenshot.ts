/**
 * Screenshots of site pages in headless Chromium, to look at them.
 * Usage: npx tsx tools/screenshot.ts BASE_URL OUT_DIR path[@width] ...   e.g. / /posts/x@375
 */
import { launchChromium } from './chromium';

async function main(): Promise<void> {
  const [base, outDir, ...paths] = process.argv.slice(2);
  const browser = await launchChromium();
  try {
    for (const spec of paths) {
      const [pagePath, width = '1280'] = spec.split('@');
      const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
      await page.goto(base + pagePath);
      const name = `${outDir}/${pagePath.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${width}.png`;
      await page.screenshot({ path: name });
      console.log(name);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
