import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { CommentModel } from '../../models/comment';
import { importWordpress } from '../../server/services/import/wordpress';
import { buildTestApp } from '../setup/app';
import { launchBrowser, listen } from '../setup/browser';

const FIXTURE = path.join(__dirname, '../fixtures/import/wordpress-real.xml');

describe('an old WordPress comment link, followed in a real browser', () => {
  jest.setTimeout(60000);
  const { app } = buildTestApp();
  let browser: Browser;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    await importWordpress(FIXTURE);
    browser = await launchBrowser();
    ({ server, url: base } = await listen(app));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('lands on the comment, on the later page of the thread where it now is', async () => {
    // The last visible comment of the 360-comment thread, by its WordPress number.
    const [last] = await CommentModel.find({ sourceKey: /^wordpress:comment:4:/, status: 'visible' })
      .sort({ number: -1 })
      .limit(1)
      .lean();
    const wpId = last.sourceKey.split(':').pop();
    const page = await browser.newPage();
    await page.goto(`${base}/2023/03/14/coworker-takes-credit/#comment-${wpId}`);
    await page.waitForURL(new RegExp(`#comment-${String(last._id)}$`));
    const url = new URL(page.url());
    expect(url.pathname).toBe('/posts/coworker-takes-credit');
    expect(Number(url.searchParams.get('page'))).toBeGreaterThan(1);
    await page.locator(`#comment-${String(last._id)}`).waitFor();
    expect(await page.locator(`#comment-${String(last._id)}`).isVisible()).toBe(true);
    await page.close();
  });
});
