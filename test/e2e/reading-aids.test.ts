import { buildPost, postComment } from '../fixtures/factories';
import { PASSWORD } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';
import { signInPage } from '../setup/browser';

describe('reading a big thread: new since the last visit, and collapsing subthreads', () => {
  jest.setTimeout(90000);
  const test = buildTestApp({ COMMENTS_PER_PAGE: '5', COMMENTS_MAX_DEPTH: '2' });
  const live = liveBrowser(test);

  it('marks what is new since a guest’s last visit, and n walks through it, into collapsed replies and onto other pages', async () => {
    const post = await buildPost();
    const roots = [];
    for (let i = 1; i <= 12; i += 1)
      roots.push(await postComment(test.services, post, { name: `Root ${i}`, body: `Root comment ${i}.` }));
    const context = await live.browser.newContext();
    const first = await context.newPage();
    await first.goto(`${live.server.url}/posts/${post.slug}`);
    await first.locator('.reading-bar').waitFor({ state: 'attached' });
    expect(await first.locator('.comment--new').count()).toBe(0); // a first visit: nothing is new
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 20));

    // While the reader is away: a reply deep under the first comment, and a reply on page 3.
    const reply = await postComment(test.services, post, {
      parent: String(roots[0]._id),
      name: 'Deep Dee',
      body: 'A reply.',
    });
    const deeper = await postComment(test.services, post, {
      parent: String(reply._id),
      name: 'Deeper Dan',
      body: 'Deeper.',
    });
    const farAway = await postComment(test.services, post, {
      parent: String(roots[11]._id),
      name: 'Far Fay',
      body: 'On page three.',
    });

    const page = await context.newPage(); // a new tab: the same browser, a new visit
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    await page
      .locator('.reading-bar__status', { hasText: '3 new comments since your last visit.' })
      .waitFor();
    expect(await page.locator('.comment--new').count()).toBe(2); // the third is on another page
    expect(await page.locator(`#comment-${String(deeper._id)} .badge--new`).textContent()).toBe('New');

    // Collapse the first comment's replies; "next new" opens them again to show the new one.
    const toggle = page.locator(`#comment-${String(roots[0]._id)} > .comment__card .comment__toggle`);
    expect(await toggle.textContent()).toBe('Hide 2 replies');
    await toggle.click();
    expect(await page.locator(`#comment-${String(reply._id)}`).isVisible()).toBe(false);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');

    await page.keyboard.press('n');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`comment-${String(reply._id)}`);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('n');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`comment-${String(deeper._id)}`);
    // The third new one is on page 3: n goes there, and lands on it.
    await Promise.all([page.waitForURL(/page=3/), page.keyboard.press('n')]);
    await page.locator(`#comment-${String(farAway._id)}`).waitFor();
    await page.waitForFunction((id) => document.activeElement?.id === id, `comment-${String(farAway._id)}`);
    expect(
      await page
        .locator(`#comment-${String(farAway._id)}`)
        .evaluate((el) => el.classList.contains('comment--new')),
    ).toBe(true);

    // Collapse all and expand all.
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    await page.click('.reading-bar button:has-text("Collapse all")');
    expect(await page.locator(`#comment-${String(reply._id)}`).isVisible()).toBe(false);
    await page.reload(); // remembered while reading
    await page.locator('.reading-bar').waitFor({ state: 'attached' });
    expect(await page.locator(`#comment-${String(reply._id)}`).isVisible()).toBe(false);
    await page.click('.reading-bar button:has-text("Expand all")');
    expect(await page.locator(`#comment-${String(reply._id)}`).isVisible()).toBe(true);
    await context.close();
  });

  it('keeps an account’s last visit on the server, so another browser marks the same new comments', async () => {
    const post = await buildPost();
    await postComment(test.services, post, { name: 'Early Eve', body: 'Before.' });
    await test.services.users.register({ username: 'Visiting Val', password: PASSWORD, email: '' });
    const signIn = async () => {
      const context = await live.browser.newContext();
      const page = await context.newPage();
      await signInPage(page, live.server.url, 'Visiting Val');
      return { context, page };
    };
    const laptop = await signIn();
    await laptop.page.goto(`${live.server.url}/posts/${post.slug}`);
    await laptop.context.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = await postComment(test.services, post, { name: 'Later Lee', body: 'After.' });

    const phone = await signIn(); // no local storage of the first visit here
    await phone.page.goto(`${live.server.url}/posts/${post.slug}`);
    await phone.page
      .locator('.reading-bar__status', { hasText: '1 new comment since your last visit.' })
      .waitFor();
    expect(await phone.page.locator('.comment--new').count()).toBe(1);
    expect(
      await phone.page
        .locator(`#comment-${String(later._id)}`)
        .evaluate((el) => el.classList.contains('comment--new')),
    ).toBe(true);
    await phone.context.close();
  });

  it('marks what was posted while a reader went elsewhere in the same tab, and keeps one "since" while paging', async () => {
    const post = await buildPost();
    for (let i = 1; i <= 6; i += 1)
      await postComment(test.services, post, { name: `Root ${i}`, body: `Root ${i}.` });
    const context = await live.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`); // a first visit: nothing new
    await page.locator('.reading-bar').waitFor({ state: 'attached' });
    expect(await page.locator('.comment--new').count()).toBe(0);
    await page.goto(`${live.server.url}/`); // to the home page, in the same tab
    await new Promise((resolve) => setTimeout(resolve, 20));
    const meanwhile = await postComment(test.services, post, {
      name: 'Meanwhile Mo',
      body: 'Posted meanwhile.',
    });
    // Back through the home page's link (seen before: nothing marked, for the rest of the tab's life).
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/posts/${post.slug}"]`)]);
    await page.locator('.reading-bar__status', { hasText: '1 new comment since your last visit.' }).waitFor();
    // Paging within the post keeps the same "since": on page 2, the comment is marked.
    await Promise.all([page.waitForNavigation(), page.click('a[rel=next]')]);
    await page.locator('.reading-bar__status', { hasText: '1 new comment since your last visit.' }).waitFor();
    expect(
      await page
        .locator(`#comment-${String(meanwhile._id)}`)
        .evaluate((el) => el.classList.contains('comment--new')),
    ).toBe(true);
    await context.close();
  });

  it('jumps from a "replying to" line to the parent, and back to the reply', async () => {
    const post = await buildPost();
    let parent = await postComment(test.services, post, { name: 'Level 0', body: 'Top.' });
    const chain = [parent];
    for (let depth = 1; depth <= 3; depth += 1) {
      parent = await postComment(test.services, post, {
        parent: String(parent._id),
        name: `Level ${depth}`,
        body: `Depth ${depth}.`,
      });
      chain.push(parent);
    }
    const page = await live.browser.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    await page.locator('.reading-bar').waitFor({ state: 'attached' });
    // Past the deepest nesting shown, the deepest reply says whom it answers, with a link.
    const deepest = page.locator(`#comment-${String(chain[3]._id)}`);
    await deepest.locator('.comment__replying-to a').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`comment-${String(chain[2]._id)}`);
    const back = page.locator(`#comment-${String(chain[2]._id)} .comment__back`);
    expect(await back.textContent()).toBe(`Back to the reply, #${chain[3].number}`);
    await back.click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`comment-${String(chain[3]._id)}`);
    expect(await back.isVisible()).toBe(false);
    await page.close();
  });
});
