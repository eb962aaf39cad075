/**
 * Screenshots of site pages in headless Chromium, to look at them.
 * Usage: npx tsx tools/screenshot.ts BASE_URL OUT_DIR spec ...
 *   spec: path[@width][:dark|:print]   e.g. /  /posts/x@375  /posts/x:dark  /posts/x:print
 * ":dark" uses the dark colour scheme; ":print" prints the page to PDF (A4) and renders its
 * first page to PNG with poppler's pdftoppm, as a reader's printout looks.
 */
import { execFileSync } from 'node:child_process';
import { launchChromium } from './chromium';

async function main(): Promise<void> {
  const [base, outDir, ...specs] = process.argv.slice(2);
  const browser = await launchChromium();
  try {
    for (const spec of specs) {
      const [where, mode = ''] = spec.split(':');
      const [pagePath, width = '1280'] = where.split('@');
      const context = await browser.newContext({
        viewport: { width: Number(width), height: 900 },
        colorScheme: mode === 'dark' ? 'dark' : 'light',
      });
      const page = await context.newPage();
      await page.goto(base + pagePath);
      const stem = `${outDir}/${pagePath.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${width}${mode ? `-${mode}` : ''}`;
      if (mode === 'print') {
        await page.emulateMedia({ media: 'print' });
        await page.pdf({ path: `${stem}.pdf`, format: 'A4' });
        execFileSync('pdftoppm', [
          '-png',
          '-r',
          '80',
          '-f',
          '1',
          '-l',
          '1',
          '-singlefile',
          `${stem}.pdf`,
          stem,
        ]);
      } else {
        await page.screenshot({ path: `${stem}.png` });
      }
      console.log(`${stem}.png`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
