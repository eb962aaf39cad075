import type { Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { buildPost, postComment } from '../fixtures/factories';
import { buildTestApp } from '../setup/app';
import { launchBrowser, listen } from '../setup/browser';

describe('replying in a real browser', () => {
  jest.setTimeout(60000);
  const { app, services } = buildTestApp();
  let browser: Browser;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ server, url: base } = await listen(app));
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('with JavaScript: the form opens inline under the comment and the reply lands nested', async () => {
    const post = await buildPost();
    const parent = await postComment(services, post, {
      name: 'Original Olive',
      body: 'Has anyone tried this?',
    });
    const page = await browser.newPage();
    await page.goto(`${base}/posts/${post.slug}`);

    await page.click(`#comment-${parent._id} .comment__reply`);
    // The form moved into the comment, with the reply target set, without a page load.
    expect(await page.locator(`#comment-${parent._id} #respond`).count()).toBe(1);
    expect(await page.textContent('#respond-title')).toBe('Reply to Original Olive (#1)');
    expect(await page.locator('#field-body').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(
      true,
    );

    await page.fill('#field-name', 'Inline Ivy');
    await page.fill('#field-body', 'Yes, it *worked* for me.');
    await Promise.all([
      page.waitForURL(/#comment-[a-f0-9]{24}$/),
      page.click('#respond button[type=submit]'),
    ]);

    const reply = page.locator(`#comment-${parent._id} > ol.thread--replies > li.comment`);
    expect(await reply.count()).toBe(1);
    expect(await reply.locator('.comment__author').textContent()).toBe('Inline Ivy');
    expect(await reply.locator('.comment__body em').textContent()).toBe('worked');
    expect(new URL(page.url()).hash).toBe(`#${await reply.getAttribute('id')}`);

    // The name is remembered in this browser for next time.
    expect(await page.inputValue('#field-name')).toBe('Inline Ivy');
    await page.close();
  });

  it('with JavaScript: Quote puts the comment in the box in one click, and Cancel puts the form back', async () => {
    const post = await buildPost();
    const parent = await postComment(services, post, { name: 'Quoted Quincy', body: 'Write it all down.' });
    const page = await browser.newPage();
    await page.goto(`${base}/posts/${post.slug}`);
    await page.click(`#comment-${parent._id} .comment__quote`);
    expect(await page.inputValue('#field-body')).toBe('> **Quoted Quincy wrote:**\n> Write it all down.\n\n');
    await page.click('#respond [data-reply-context] button');
    expect(await page.locator(`#comment-${parent._id} #respond`).count()).toBe(0);
    expect(await page.inputValue('input[name=parent]')).toBe('');
    await page.close();
  });

  it('without JavaScript: Reply loads the page with the form set up, and the reply still nests', async () => {
    const post = await buildPost();
    const parent = await postComment(services, post, { name: 'Plain Pat', body: 'No scripts here.' });
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/posts/${post.slug}`);
    await Promise.all([page.waitForURL(/replyto=/), page.click(`#comment-${parent._id} .comment__reply`)]);
    expect(await page.textContent('#respond-title')).toBe('Reply to Plain Pat (#1)');
    await page.fill('#field-name', 'No-JS Nell');
    await page.fill('#field-body', 'Works without JavaScript.');
    await Promise.all([
      page.waitForURL(/#comment-[a-f0-9]{24}$/),
      page.click('#respond button[type=submit]'),
    ]);
    const reply = page.locator(`#comment-${parent._id} > ol.thread--replies > li.comment .comment__author`);
    expect(await reply.textContent()).toBe('No-JS Nell');
    await context.close();
  });

  it('follows a #comment- link to a comment on a later page', async () => {
    const { app: small } = buildTestApp({ COMMENTS_PER_PAGE: '1' });
    const { server: other, url } = await listen(small);
    try {
      const post = await buildPost();
      await postComment(services, post, { name: 'Page one' });
      const later = await postComment(services, post, { name: 'Page two' });
      const page = await browser.newPage();
      await page.goto(`${url}/posts/${post.slug}#comment-${later._id}`);
      await page.waitForURL(/page=2#comment-/);
      expect(await page.locator(`#comment-${later._id} .comment__author`).textContent()).toBe('Page two');
      await page.close();
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
