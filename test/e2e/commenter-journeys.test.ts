import type { Page } from 'playwright-core';
import { buildPost, postComment } from '../fixtures/factories';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';
import { signInPage } from '../setup/browser';
import { buildUser } from '../fixtures/users';
import { UserModel } from '../../models/user';

/**
 * A new commenter's journeys in Chromium (issue 31): sign up from a post and come back to it,
 * confirm the address and get reply mail; write a long comment or leave one half-typed without
 * losing a word.
 */
describe('a commenter never loses the way or a word', () => {
  jest.setTimeout(90000);
  const test = buildTestApp();
  const live = liveBrowser(test);
  const { services } = test;

  async function mailTo(address: string) {
    await services.mailQueue.runDue();
    return services.mailer.captured.filter((m) => m.to === address);
  }

  it('register from a post → back on the post → confirm by the mailed link → a reply mail arrives', async () => {
    const post = await buildPost();
    const page = await live.browser.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}?page=1`);
    await Promise.all([page.waitForURL(/\/register/), page.click('.site-nav a:text-is("Register")')]);
    await page.fill('#field-username', 'new_nadia');
    await page.fill('#field-email', 'nadia@example.com');
    await page.fill('#field-password', 'a long enough passphrase 42');
    await Promise.all([
      page.waitForURL(/\/posts\//),
      page.click('form[action="/register"] button[type=submit]'),
    ]);
    // Back where she was, signed in.
    expect(new URL(page.url()).pathname).toBe(`/posts/${post.slug}`);
    expect(await page.textContent('.site-nav')).toContain('new_nadia');

    // The confirmation link came at sign-up (the default); one click on /account sends it again.
    const [first] = await mailTo('nadia@example.com');
    expect(first.subject).toMatch(/Confirm/);
    await page.goto(`${live.server.url}/account`);
    await Promise.all([
      page.waitForURL(/resent=1/),
      page.click('form[action="/account/email/resend"] button'),
    ]);
    expect(await page.textContent('[role=status], .notice')).toMatch(/on its way/);
    const sent = await mailTo('nadia@example.com');
    expect(sent).toHaveLength(2);
    const link = /(https?:\/\/\S+\/account\/email\/\S+)/.exec(sent[1].text)![1];
    await page.goto(link.replace(/^https?:\/\/[^/]+/, live.server.url));
    await Promise.all([
      page.waitForURL(/confirmed=1/),
      page.click('form[action^="/account/email/"] button[type=submit]'),
    ]);

    // She comments; someone replies; the reply mail reaches her.
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    await page.fill('#field-body', 'My manager does this too. What worked for me was a weekly summary.');
    await Promise.all([page.waitForURL(/#comment-/), page.click('#respond button[type=submit]')]);
    const mine = /#comment-(\w+)/.exec(page.url())![1];
    await postComment(services, post, {
      parent: mine,
      name: 'Helpful Hal',
      body: 'A weekly summary is smart.',
    });
    // The reply is mailed after the response, from the event: poll the queue a few seconds.
    let replies: { subject: string; text: string }[] = [];
    for (let i = 0; i < 50 && !replies.length; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      replies = (await mailTo('nadia@example.com')).filter((m) => /Helpful Hal/.test(m.text + m.subject));
    }
    if (!replies.length)
      console.log((await mailTo('nadia@example.com')).map((m) => m.subject + '\n' + m.text));
    expect(replies).toHaveLength(1);
    await page.close();
  });

  it('a 6,000-character paste shows the limit and loses nothing; a draft survives a reload and goes once posted', async () => {
    const post = await buildPost();
    const page = await live.browser.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    // "Leave a comment" at the top of the thread leads to the form.
    await page.click('[data-leave-comment] a');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-body');

    const long = 'I have read every comment here and want to add one thing. '.repeat(104).slice(0, 6000);
    await page.fill('#field-name', 'Patient Pat');
    await page.fill('#field-body', long);
    expect(await page.inputValue('#field-body')).toHaveLength(6000);
    expect(await page.textContent('#counter-body')).toBe(
      '1,000 characters over the 5,000 limit: shorten it to post. Nothing has been cut.',
    );
    await page.click('#respond button[type=submit]');
    expect(new URL(page.url()).pathname).toBe(`/posts/${post.slug}`);
    expect(await page.inputValue('#field-body')).toHaveLength(6000);

    // Shortened, then the tab reloads before posting: the draft is back, said so.
    await page.fill('#field-body', long.slice(0, 4000));
    expect(await page.textContent('#counter-body')).toBe('1,000 characters left');
    await page.reload();
    expect(await page.inputValue('#field-body')).toBe(long.slice(0, 4000));
    expect(await page.textContent('.draft-note')).toMatch(/unsent comment is back/);

    await Promise.all([page.waitForURL(/#comment-/), page.click('#respond button[type=submit]')]);
    await page.reload();
    expect(await page.inputValue('#field-body')).toBe('');
    await page.close();
  });

  it('comments closed live: the half-typed comment stays on the page, read-only and copyable', async () => {
    const post = await buildPost();
    await postComment(services, post, { name: 'Only Olga', body: 'The one comment so far.' });
    const page: Page = await live.browser.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    // A first visit to a one-comment thread: no reading bar (nothing to collapse, nothing new).
    await page.waitForSelector('.reading-bar', { state: 'attached' });
    expect(await page.locator('.reading-bar').isVisible()).toBe(false);
    await page.waitForFunction(
      () => (window as unknown as { adviceSocket?: { connected: boolean } }).adviceSocket?.connected,
    );
    await page.fill('#field-name', 'Slow Sam');
    await page.fill('#field-body', 'I was just about to say that the');
    await services.posts.setCommentStatus(String(post._id), 'closed', 'Thanks, everyone.');
    await page.waitForSelector('.comments-closed');
    expect(await page.inputValue('#field-body')).toBe('I was just about to say that the');
    expect(await page.getAttribute('#field-body', 'readonly')).not.toBeNull();
    expect(await page.isDisabled('#respond button[type=submit]')).toBe(true);
    expect(await page.textContent('.draft-note')).toMatch(/Your text stays here/);
    expect(await page.locator('[data-leave-comment]').count()).toBe(0);
    await page.close();
  });

  it('an editor picks a comment in the thread: it appears above the thread, for readers too', async () => {
    const post = await buildPost();
    await postComment(services, post, { name: 'First Fay', body: 'An ordinary comment.' });
    const good = await postComment(services, post, { name: 'Wise Wren', body: 'Ask for it in writing.' });
    const editor = await buildUser(services, 'editor');
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, editor.username);
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    await Promise.all([page.waitForURL(/done=/), page.click(`#comment-${good._id} .comment__pick`)]);
    expect(await page.textContent('[role=status], .notice')).toMatch(/one of the picks/);
    expect(await page.textContent('.picks')).toContain('Ask for it in writing.');

    const reader = await live.browser.newPage();
    await reader.goto(`${live.server.url}/posts/${post.slug}`);
    expect(await reader.textContent('.picks h3')).toBe('Columnist’s picks');
    await reader.click('.pick__meta a');
    await reader.waitForURL(new RegExp(`#comment-${good._id}$`));
    await page.close();
    await reader.close();
  });

  it('an @mention typed in the browser links the account and mails it', async () => {
    const post = await buildPost();
    const mina = await services.users.register({
      username: 'Mina_K',
      password: 'a long enough passphrase 42',
      email: 'mina@example.com',
    });
    await UserModel.updateOne({ _id: mina.id }, { $set: { emailConfirmedAt: new Date() } });
    const page = await live.browser.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    await page.fill('#field-name', 'Guest Gus');
    await page.fill('#field-body', 'I think @mina_k has been through this. What did you do?');
    await Promise.all([page.waitForURL(/#comment-/), page.click('#respond button[type=submit]')]);
    const id = /#comment-(\w+)/.exec(page.url())![1];
    expect(await page.getAttribute(`#comment-${id} a.mention`, 'href')).toBe('/users/Mina_K');
    let mails: { subject: string }[] = [];
    for (let i = 0; i < 50 && !mails.length; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      mails = await mailTo('mina@example.com');
    }
    expect(mails.map((m) => m.subject)).toEqual([`Guest Gus mentioned you on “${post.title}”`]);
    await page.close();
  });

  it('edits a comment in place: the time left, a preview, then saved without leaving the page', async () => {
    const post = await buildPost();
    const author = await buildUser(services);
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, author.username);
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    await page.fill('#field-body', 'First draft of my thought.');
    await Promise.all([page.waitForURL(/#comment-/), page.click('#respond button[type=submit]')]);
    const id = /#comment-(\w+)/.exec(page.url())![1];
    let loads = 0;
    page.on('load', () => (loads += 1));

    await page.click(`#comment-${id} .comment__edit`);
    const box = page.locator(`#edit-${id}`);
    await box.waitFor();
    expect(await box.inputValue()).toBe('First draft of my thought.');
    expect(await page.textContent(`#comment-${id} .comment__editor .field__hint`)).toMatch(
      /You can edit it for 1[45] more minutes/,
    );
    await box.fill('Second, **better** thought.');
    await page.click(`#comment-${id} .comment__editor button:text-is("Preview")`);
    await page.waitForSelector(`#comment-${id} .edit-preview strong`);
    expect(await page.textContent(`#comment-${id} .edit-preview strong`)).toBe('better');
    await page.click(`#comment-${id} .comment__editor button:text-is("Save changes")`);
    await page.waitForSelector(`#comment-${id} .comment__editor`, { state: 'detached' });
    expect(await page.textContent(`#comment-${id} > .comment__card > .comment__body strong`)).toBe('better');
    expect(loads).toBe(0);
    await page.close();
  });

  it('"Leave a comment" at the top brings the form up there, and the new comment is shown first', async () => {
    const post = await buildPost();
    for (let i = 1; i <= 3; i += 1)
      await postComment(services, post, { name: `Early ${i}`, body: `Comment ${i}.` });
    const page = await live.browser.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    await page.click('[data-leave-comment] a');
    // The form is right under the link, not at the end of the thread.
    expect(
      await page.evaluate(() =>
        document.getElementById('respond')?.previousElementSibling?.hasAttribute('data-leave-comment'),
      ),
    ).toBe(true);
    await page.fill('#field-name', 'Top Tia');
    await page.fill('#field-body', 'Written from the top of the thread.');
    await Promise.all([page.waitForURL(/#comment-/), page.click('#respond button[type=submit]')]);
    expect(new URL(page.url()).searchParams.get('order')).toBe('newest');
    expect(await page.textContent('ol.thread > li.comment:first-child .comment__author')).toBe('Top Tia');
    await page.close();
  });

  it('a like moves a comment up the "most liked" order on another reader’s page, without a reload', async () => {
    const post = await buildPost();
    const ids: string[] = [];
    for (let i = 1; i <= 3; i += 1)
      ids.push(
        String((await postComment(services, post, { name: `Reader ${i}`, body: `Comment ${i}.` }))._id),
      );
    const watcher = await live.browser.newPage();
    await watcher.goto(`${live.server.url}/posts/${post.slug}?order=top`);
    await watcher.waitForFunction(
      () => (window as unknown as { adviceSocket?: { connected: boolean } }).adviceSocket?.connected,
    );
    const numbers = (page: Page) =>
      page.$$eval('[data-thread-root] > li.comment', (items) =>
        items.map((li) => li.getAttribute('data-number')),
      );
    expect(await numbers(watcher)).toEqual(['1', '2', '3']);

    // A signed-in reader likes #3 on her own page: pressed, counted, no reload.
    const liker = await buildUser(services);
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, liker.username);
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    let loads = 0;
    page.on('load', () => (loads += 1));
    await page.click(`#comment-${ids[2]} .like-button`);
    await page.waitForSelector(`#comment-${ids[2]} .like-button[aria-pressed="true"]`);
    expect(await page.textContent(`#comment-${ids[2]} .like-count`)).toBe(' 1 like');
    expect(loads).toBe(0);

    // The other reader's page, in the most liked order, moves #3 to the top and shows its count.
    await watcher.waitForFunction(
      (id) => document.querySelector('[data-thread-root] > li.comment')?.id === `comment-${id}`,
      ids[2],
    );
    expect(await numbers(watcher)).toEqual(['3', '1', '2']);
    expect(await watcher.textContent(`#comment-${ids[2]} .like-count`)).toBe(' 1 like');

    // Pressed again: no longer liked, and back in its place.
    await page.click(`#comment-${ids[2]} .like-button`);
    await page.waitForSelector(`#comment-${ids[2]} .like-button[aria-pressed="false"]`);
    await watcher.waitForFunction(
      (id) => document.querySelector('[data-thread-root] > li.comment:last-child')?.id === `comment-${id}`,
      ids[2],
    );
    // A reload keeps what she likes: pressed state comes from the server.
    await page.click(`#comment-${ids[0]} .like-button`);
    await page.waitForSelector(`#comment-${ids[0]} .like-button[aria-pressed="true"]`);
    await page.reload();
    expect(await page.getAttribute(`#comment-${ids[0]} .like-button`, 'aria-pressed')).toBe('true');
    await page.close();
    await watcher.close();
  });

  it('a guest likes in the browser, and the page remembers it after a reload', async () => {
    const post = await buildPost();
    const comment = await postComment(services, post, { name: 'Liked Lu', body: 'Worth a like.' });
    const context = await live.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    await page.click(`#comment-${comment._id} .like-button`);
    await page.waitForSelector(`#comment-${comment._id} .like-button[aria-pressed="true"]`);
    await page.reload();
    await page.waitForSelector(`#comment-${comment._id} .like-button[aria-pressed="true"]`);
    expect(await page.textContent(`#comment-${comment._id} .like-count`)).toBe(' 1 like');
    await context.close();
  });
});
