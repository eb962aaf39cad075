#!/usr/bin/env node
// Takes full-page screenshots of site pages in Debian's headless Chromium, to look at them.
// Usage: node tools/screenshot.mjs BASE_URL OUT_DIR path[@width] ...   e.g. / /posts/x@375
import { chromium } from 'playwright-core';

const [base, outDir, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
for (const spec of paths) {
  const [path, width = '1280'] = spec.split('@');
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  await page.goto(base + path);
  const name = `${outDir}/${path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${width}.png`;
  await page.screenshot({ path: name, fullPage: false });
  console.log(name);
  await page.close();
}
await browser.close();
