import { buildPost, postComment } from '../fixtures/factories';
import { PASSWORD } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';
import { signInPage } from '../setup/browser';

describe('the header’s unread replies, live', () => {
  jest.setTimeout(60000);
  const test = buildTestApp();
  const live = liveBrowser(test);

  it('counts a new reply in the header of an open page without reloading, on any page', async () => {
    const post = await buildPost();
    const me = await test.services.users.register({ username: 'Live Lia', password: PASSWORD, email: '' });
    const mine = await postComment(test.services, post, { body: 'Mine.' }, { user: me });
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, 'Live Lia');
    let reloads = 0;
    await page.goto(`${live.server.url}/account`); // a page without a live thread of its own
    page.on('load', () => (reloads += 1));
    expect(await page.locator('[data-unread-replies]').isHidden()).toBe(true);
    await page.waitForFunction(() =>
      Boolean((window as unknown as { adviceSocket?: { connected: boolean } }).adviceSocket?.connected),
    );

    await postComment(test.services, post, {
      parent: String(mine._id),
      name: 'Replier Roy',
      body: 'Hello Lia.',
    });
    await page.locator('[data-unread-replies]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-unread-count]').textContent()).toBe('1');
    expect(reloads).toBe(0);
    await page.close();
  });
});
