import { CommentModel } from '../../models/comment';
import { buildComment, buildPost } from '../fixtures/factories';
import { buildUser } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';
import { signInPage } from '../setup/browser';

describe('a moderation queue by keyboard alone', () => {
  jest.setTimeout(600000);
  const test = buildTestApp();
  const live = liveBrowser(test);

  // 120 held comments: three pages of the queue (50, 50, 20), so the last card of a page bringing the
  // next is walked twice. (It was 500: ten pages, 97 s of the suite, no more paths taken.)
  const HELD = 120;

  it('clears a held queue of three pages with j, a and r, page after page, without a mouse', async () => {
    const post = await buildPost();
    for (let i = 1; i <= HELD; i += 1) {
      await buildComment(post, { number: i, authorName: `Held ${i}`, status: 'pending', heldReason: 'test' });
    }
    const moderator = await buildUser(test.services, 'moderator');
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, moderator.username);
    await page.goto(`${live.server.url}/moderation?post=${post.slug}`);
    expect(await page.locator('[data-queue-keys]').isVisible()).toBe(true);

    for (let handled = 0; handled < HELD; handled += 1) {
      await page.locator('li.queue-item').first().waitFor();
      await page.keyboard.press('j'); // focus the first item (the next one after an action)
      const before = await page.locator('li.queue-item').count();
      // Reject every tenth (spam), approve the rest. The last item of a page brings the next page.
      const key = handled % 10 === 9 ? 'r' : 'a';
      const more = (await page.locator('.pagination a[rel="next"]').count()) > 0;
      if (before === 1 && more) await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
      else {
        await page.keyboard.press(key);
        await page.waitForFunction(
          (n) => document.querySelectorAll('li.queue-item').length === n - 1,
          before,
        );
      }
    }
    await page.waitForFunction(() => document.querySelectorAll('li.queue-item').length === 0);
    const statuses = (await CommentModel.find({ post: post._id }).lean()).map((c) => c.status);
    expect(statuses.filter((s) => s === 'visible')).toHaveLength(HELD - HELD / 10);
    expect(statuses.filter((s) => s === 'removed')).toHaveLength(HELD / 10);
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(0);
    await page.close();
  });
});
