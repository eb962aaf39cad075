/**
 * Moderating from inside a thread, in Chromium, with the page's scripts: the moderator stays on
 * the thread and is told what was done.
 */
import { CommentModel } from '../../models/comment';
import { buildPost, postComment } from '../fixtures/factories';
import { buildUser } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { signInPage } from '../setup/browser';
import { liveBrowser } from '../setup/live';

describe('moderating from the thread', () => {
  jest.setTimeout(120000);
  const test = buildTestApp();
  const live = liveBrowser(test);

  it('removing a comment with no replies comes back to the thread with what was done, not to a missing comment', async () => {
    const post = await buildPost();
    await postComment(test.services, post, { name: 'Fair Fran', body: 'A fair point, kindly made.' });
    const rude = await postComment(test.services, post, { name: 'Rude Rod', body: 'You are all fools.' });
    const moderator = await buildUser(test.services, 'moderator');
    const page = await live.browser.newPage({ viewport: { width: 375, height: 800 } });
    await signInPage(page, live.server.url, moderator.username);
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    const comment = page.locator(`#comment-${rude._id}`);
    await comment.locator('summary', { hasText: 'Moderate' }).click();
    await Promise.all([page.waitForNavigation(), comment.getByRole('button', { name: 'Remove' }).click()]);
    // Seen before: the page's script took the removed comment's anchor for a comment on another
    // page, went to its permalink, and the moderator got "Page not found".
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).pathname).toBe(`/posts/${post.slug}`);
    expect(await page.locator('.notice').first().textContent()).toContain(`#${rude.number}`);
    expect((await CommentModel.findById(rude._id).lean())?.status).toBe('removed');
    await page.close();
  });
});
