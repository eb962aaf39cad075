import { buildPost, postComment } from '../fixtures/factories';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';

describe('live replies in a real browser', () => {
  jest.setTimeout(60000);
  const test = buildTestApp();
  const live = liveBrowser(test);

  it('shows a reply written on one page, nested under the right comment, on the other without reloading', async () => {
    const post = await buildPost();
    const first = await postComment(test.services, post, { name: 'First Fran', body: 'Top one' });
    const second = await postComment(test.services, post, { name: 'Second Sid', body: 'Top two' });
    const writer = await live.browser.newPage();
    const watcher = await live.browser.newPage();
    await watcher.goto(`${live.server.url}/posts/${post.slug}`);
    let reloads = 0;
    watcher.on('load', () => (reloads += 1));

    await writer.goto(`${live.server.url}/posts/${post.slug}`);
    await watcher.waitForSelector('[data-readers]:not([hidden])');
    expect(await watcher.textContent('[data-readers]')).toBe('You and 1 other reader are reading this now');

    await writer.click(`#comment-${second._id} .comment__reply`);
    await writer.fill('#field-name', 'Writer Wes');
    await writer.fill('#field-body', 'Replying live to Sid');
    await writer.click('#respond button[type=submit]');

    const nested = watcher.locator(`#comment-${second._id} > ol.thread--replies > li.comment`);
    await nested.waitFor({ timeout: 10000 });
    expect(await nested.locator('.comment__author').textContent()).toBe('Writer Wes');
    expect(await nested.locator('.comment__number').textContent()).toBe('#3');
    expect(await watcher.locator(`#comment-${first._id} li.comment`).count()).toBe(0);
    expect(await watcher.textContent('#comments-title')).toBe('3 comments');
    expect(reloads).toBe(0);
  });
});
