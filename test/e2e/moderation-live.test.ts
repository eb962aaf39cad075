import { buildPost, postComment } from '../fixtures/factories';
import { buildUser } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';
import { signInPage } from '../setup/browser';

describe('the moderation queues’ counts in the header, live', () => {
  jest.setTimeout(60000);
  // Any link holds a comment, so the test can hold one at will.
  const test = buildTestApp({ HOLD_LINKS_OVER: '0' });
  const live = liveBrowser(test);

  it('counts a newly held comment in an open moderator page without reloading', async () => {
    const post = await buildPost();
    const moderator = await buildUser(test.services, 'moderator');
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, moderator.username);
    await page.goto(`${live.server.url}/moderation`);
    let reloads = 0;
    page.on('load', () => (reloads += 1));
    expect(await page.locator('[data-queue-pending]').textContent()).toBe('0');
    expect(await page.locator('[data-queue-total]').isHidden()).toBe(true);
    await page.waitForFunction(() =>
      Boolean((window as unknown as { adviceSocket?: { connected: boolean } }).adviceSocket?.connected),
    );

    await postComment(test.services, post, { name: 'Linky', body: 'See https://example.com/offer' });
    await page.waitForFunction(() => document.querySelector('[data-queue-pending]')?.textContent === '1');
    expect(await page.locator('[data-queue-total]').isHidden()).toBe(false);
    expect(reloads).toBe(0);
    await page.close();
  });
});
