import { buildPost, postComment } from '../fixtures/factories';
import { buildUser } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';
import { signInPage } from '../setup/browser';

describe('the moderation queues, live: counts in the header, held comments in an open queue', () => {
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
    // The Staff menu's count and the held tab's.
    expect(await page.locator('[data-queue-pending]').allTextContents()).toEqual(['0', '0']);
    expect(await page.locator('[data-queue-total]').isHidden()).toBe(true);
    await page.waitForFunction(() =>
      Boolean((window as unknown as { adviceSocket?: { connected: boolean } }).adviceSocket?.connected),
    );

    await postComment(test.services, post, { name: 'Linky', body: 'See https://example.com/offer' });
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('[data-queue-pending]')).every((el) => el.textContent === '1'),
    );
    expect(await page.locator('[data-queue-sum]').textContent()).toBe('1');
    expect(await page.locator('[data-queue-total]').isHidden()).toBe(false);
    expect(reloads).toBe(0);
    await page.close();
  });

  it('adds a newly held comment to the top of an open held queue, and drops one another moderator handled', async () => {
    const post = await buildPost();
    const [moderator, other] = [
      await buildUser(test.services, 'moderator'),
      await buildUser(test.services, 'moderator'),
    ];
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, moderator.username);
    await page.goto(`${live.server.url}/moderation?post=${post.slug}`);
    let reloads = 0;
    page.on('load', () => (reloads += 1));
    expect(await page.locator('[data-queue-empty]').isVisible()).toBe(true);
    await page.waitForFunction(() =>
      Boolean((window as unknown as { adviceSocket?: { connected: boolean } }).adviceSocket?.connected),
    );

    const first = await postComment(test.services, post, {
      name: 'First Linky',
      body: 'See https://example.com/one',
    });
    await page.locator('li.queue-item', { hasText: 'First Linky' }).waitFor();
    expect(await page.locator('[data-queue-empty]').isHidden()).toBe(true);
    expect(await page.locator('.queue-bulk').isVisible()).toBe(true);
    await postComment(test.services, post, { name: 'Second Linky', body: 'See https://example.com/two' });
    await page.locator('li.queue-item', { hasText: 'Second Linky' }).waitFor();
    const names = await page.locator('li.queue-item .queue-card__title strong').allTextContents();
    expect(names).toEqual(['Second Linky', 'First Linky']); // newest first
    expect(await page.locator('li.queue-item').first().getAttribute('class')).toContain('queue-item--new');
    await page.waitForFunction(() =>
      /new held comment/.test(document.querySelector('[data-queue-status]')?.textContent ?? ''),
    );

    // The keyboard works on items that arrived live.
    await page.keyboard.press('j');
    await page.keyboard.press('a');
    await page.waitForFunction(() => document.querySelectorAll('li.queue-item').length === 1);

    // Another moderator rejects the other one: it leaves this screen too.
    await test.services.moderation.act(other, String(first._id), 'reject', 'spam');
    await page.waitForFunction(() => document.querySelectorAll('li.queue-item').length === 0);
    expect(await page.locator('[data-queue-empty]').isVisible()).toBe(true);
    expect(reloads).toBe(0);
    await page.close();
  });
});
