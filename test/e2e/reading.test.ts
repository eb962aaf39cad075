/// <reference lib="dom" />
/**
 * Every way of reading, in Chromium: axe on every page (public and staff, both colour schemes,
 * 1280 and 320 px), the keyboard journeys with keyboard events only, what a screen reader hears
 * when a reply arrives live, reduced motion, and the printed page (PDF, read back with pdfjs-dist).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { CommentModel } from '../../models/comment';
import { LetterModel } from '../../models/letter';
import { buildPost, postComment } from '../fixtures/factories';
import { buildUser } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';
import { signInPage } from '../setup/browser';
import { ROOT } from '../setup/paths';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return axe.run({
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    });
  });
  return result.violations.map(
    (v) =>
      `${v.id}: ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
}

describe('every reader, every way of reading', () => {
  jest.setTimeout(180000);
  const test = buildTestApp({ HOLD_LINKS_OVER: '0' });
  const live = liveBrowser(test);

  it('axe finds nothing on public and staff pages, light and dark, at 1280 and 320 px', async () => {
    const post = await buildPost();
    const first = await postComment(test.services, post, {
      name: 'Ana',
      body: 'First thoughts, with *emphasis*.',
    });
    await postComment(test.services, post, { name: 'Bo', body: 'A reply.', parent: String(first._id) });
    // Held (a link, with HOLD_LINKS_OVER=0): the moderator sees it with its menu.
    await postComment(test.services, post, { name: 'Cy', body: 'See https://example.com' });
    const admin = await buildUser(test.services, 'admin');
    const member = await buildUser(test.services, 'commenter');
    await postComment(test.services, post, { body: 'A member speaks.' }, { user: member });
    const own = await postComment(test.services, post, { body: 'The admin speaks.' }, { user: admin });
    // Reported, so the reported queue has a card with its reports.
    await test.services.moderation.report({ ip: '198.51.100.9' }, String(first._id), {
      category: 'abuse',
      reason: 'Rude to Bo.',
    });
    const letter = await LetterModel.create({
      reference: `Q-${Date.now().toString(36).slice(-6).toUpperCase()}`,
      subject: 'My manager reads my email',
      body: 'Is that allowed?',
      email: 'reader@example.com',
      consentPublish: true,
    });
    const pages = {
      public: [
        '/',
        `/posts/${post.slug}`,
        '/tags/coworkers',
        `/users/${member.username}`,
        `/comments/${first._id}/report`,
        '/ask',
        '/ask/sent/Q-0A1B2C',
        '/login',
        '/register',
        '/forgot',
        '/no-such-page',
        '/search?q=manager',
      ],
      staff: [
        `/posts/${post.slug}`,
        '/moderation',
        '/moderation?queue=reported',
        '/moderation?queue=removed',
        `/moderation/commenter?comment=${first._id}`,
        '/moderation/sanctions',
        '/search?q=speaks&scope=all',
        '/editor',
        '/editor/posts/new',
        `/editor/posts/${post._id}/edit`,
        '/editor/letters',
        `/editor/letters/${letter._id}`,
        `/comments/${own._id}/edit`,
        `/comments/${own._id}/delete`,
        '/admin/users',
        '/admin/audit',
        '/admin/settings',
        '/account',
      ],
    };
    const failures: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [1280, 320]) {
        // bypassCSP: axe is injected as an inline script, which the site's CSP rightly refuses.
        const context = await live.browser.newContext({
          viewport: { width, height: 900 },
          colorScheme: scheme,
          bypassCSP: true,
        });
        const page = await context.newPage();
        // No horizontal scrolling at this width, on any page (WCAG 1.4.10 reflow).
        const reflows = async (route: string) => {
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          if (overflow > 0) failures.push(`${scheme} ${width}px ${route}: scrolls sideways by ${overflow}px`);
        };
        for (const route of pages.public) {
          await page.goto(`${live.server.url}${route}`);
          for (const v of await axeViolations(page)) failures.push(`${scheme} ${width}px ${route}: ${v}`);
          await reflows(route);
        }
        await signInPage(page, live.server.url, admin.username);
        for (const route of pages.staff) {
          await page.goto(`${live.server.url}${route}`);
          // The moderator's menus open, so what is inside them is checked too.
          // (Not the header's Staff menu: open, it lies over the page's own links, as a dropdown does.)
          await page.evaluate(() =>
            document
              .querySelectorAll(
                'details.comment__moderate, details.queue-card__sanction, details.queue-tools',
              )
              .forEach((d) => ((d as HTMLDetailsElement).open = true)),
          );
          for (const v of await axeViolations(page))
            failures.push(`${scheme} ${width}px staff ${route}: ${v}`);
          await reflows(`staff ${route}`);
        }
        await context.close();
      }
    }
    expect(failures).toEqual([]);
  }, 420000); // 24 routes × 2 schemes × 2 widths in one browser: minutes on a machine shared with other tests

  it('a reader replies with the keyboard alone: skip link, j/k, Reply, Escape, submit lands on the new comment', async () => {
    const post = await buildPost();
    await postComment(test.services, post, { name: 'Ana', body: 'First.' });
    const second = await postComment(test.services, post, { name: 'Bo', body: 'Second.' });
    const page = await live.browser.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    const active = () =>
      page.evaluate(() => {
        const el = document.activeElement!;
        return {
          id: el.id,
          cls: el.className,
          comment: el.closest('li.comment')?.id ?? null,
          text: el.textContent?.trim() ?? '',
        };
      });

    await page.keyboard.press('Tab');
    expect((await active()).cls).toContain('skip-link');
    await page.keyboard.press('Enter');
    expect((await active()).id).toBe('main');

    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect((await active()).comment).toBe(`comment-${second._id}`);
    await page.keyboard.press('k');
    expect((await active()).comment).not.toBe(`comment-${second._id}`);
    await page.keyboard.press('j');

    // Tab from the comment to its Reply link, open the form in place: it takes focus.
    for (let i = 0; i < 10 && !(await active()).cls.includes('comment__reply'); i += 1)
      await page.keyboard.press('Tab');
    expect(await active()).toMatchObject({ comment: `comment-${second._id}` });
    expect((await active()).cls).toContain('comment__reply');
    await page.keyboard.press('Enter');
    expect((await active()).id).toBe('field-body');
    expect(await page.locator(`#comment-${second._id} #respond`).count()).toBe(1);

    // Escape closes it and gives focus back to the comment's Reply link.
    await page.keyboard.press('Escape');
    expect(await page.locator(`#comment-${second._id} #respond`).count()).toBe(0);
    expect(await active()).toMatchObject({ comment: `comment-${second._id}` });
    expect((await active()).cls).toContain('comment__reply');

    // Again, and this time write and send it.
    await page.keyboard.press('Enter');
    await page.keyboard.type('Keyboard only, and glad of it.');
    await page.keyboard.press('Shift+Tab');
    for (let i = 0; i < 10 && (await active()).id !== 'field-name'; i += 1)
      await page.keyboard.press('Shift+Tab');
    expect((await active()).id).toBe('field-name');
    await page.keyboard.type('Kim');
    for (let i = 0; i < 15 && !(await active()).text.includes('Post'); i += 1)
      await page.keyboard.press('Tab');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const mine = await CommentModel.findOne({ post: post._id, authorName: 'Kim' }).lean();
    expect(mine?.parent?.toString()).toBe(String(second._id));
    expect((await active()).comment).toBe(`comment-${mine!._id}`);
    await page.close();
  });

  it('a moderator approves a held comment from the queue with the keyboard alone', async () => {
    const post = await buildPost();
    const held = await postComment(test.services, post, { name: 'Linky', body: 'Look: https://example.org' });
    expect(held.status).toBe('pending');
    const moderator = await buildUser(test.services, 'moderator');
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, moderator.username);
    await page.goto(`${live.server.url}/moderation?post=${post.slug}`);
    const focusOn = async (selector: string) => {
      for (let i = 0; i < 40; i += 1) {
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`never reached ${selector} with Tab`);
    };
    await focusOn(`input[name=ids][value="${held._id}"]`);
    await page.keyboard.press('Space');
    await focusOn('#bulk-action');
    await page.keyboard.press('ArrowDown');
    await page.selectOption('#bulk-action', 'approve'); // what the arrow keys do in a native select
    await focusOn('form.queue button[type=submit]:not(.button--quiet)');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect((await CommentModel.findById(held._id).lean())?.status).toBe('visible');
    await page.close();
  });

  it('says where a live reply landed, politely, and keeps every count on the page true', async () => {
    const post = await buildPost();
    const first = await postComment(test.services, post, { name: 'Ana', body: 'First.' });
    const watcher = await live.browser.newPage();
    await watcher.goto(`${live.server.url}/posts/${post.slug}`);
    await watcher.waitForSelector('[data-readers]', { state: 'attached' });
    await new Promise((r) => setTimeout(r, 500)); // joined the room
    await postComment(test.services, post, {
      name: 'Writer Wes',
      body: 'Live reply.',
      parent: String(first._id),
    });
    await watcher.waitForFunction(() => document.querySelector('[data-live-announce]')?.textContent !== '');
    expect(await watcher.textContent('[data-live-announce]')).toBe(
      'New reply from Writer Wes to comment #1.',
    );
    expect(await watcher.getAttribute('[data-live-announce]', 'aria-live')).toBe('polite');
    expect(await watcher.textContent('#comments-title')).toBe('2 comments');
    expect(await watcher.textContent('[data-comment-count-byline]')).toBe('2 comments');
    // Several at once are summed up, not read out one by one.
    await postComment(test.services, post, { name: 'Xi', body: 'One.' });
    await postComment(test.services, post, { name: 'Yu', body: 'Two.' });
    await watcher.waitForFunction(
      () => /new comments/.test(document.querySelector('[data-live-announce]')?.textContent ?? ''),
      undefined,
      { timeout: 10000 },
    );
    expect(await watcher.textContent('[data-live-announce]')).toBe(
      '2 new comments, the latest: new comment from Yu.',
    );
    await watcher.close();
  });

  it('keeps the comment counts on the home page true live', async () => {
    const post = await buildPost({ publishedAt: new Date() });
    const home = await live.browser.newPage();
    await home.goto(`${live.server.url}/`);
    const count = home.locator(`[data-post-count="${post._id}"]`);
    expect(await count.textContent()).toBe('0 comments');
    await new Promise((r) => setTimeout(r, 500)); // joined the list's room
    await postComment(test.services, post, { name: 'Ana', body: 'First.' });
    await home.waitForFunction(
      (id) => document.querySelector(`[data-post-count="${id}"]`)?.textContent === '1 comment',
      String(post._id),
    );
    await home.close();
  });

  it('moves nothing for a reader who asked for less motion', async () => {
    const post = await buildPost();
    const context = await live.browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    const duration = await page.evaluate(() => {
      const probe = document.createElement('li');
      probe.className = 'comment comment--new';
      probe.innerHTML = '<article class="comment__card"></article>';
      document.querySelector('[data-thread-root]')!.appendChild(probe);
      return getComputedStyle(probe.firstElementChild!).transitionDuration;
    });
    expect(parseFloat(duration)).toBeLessThan(0.001);
    await context.close();
  });

  it('prints the letter, the answer and the thread with its numbers, and no form', async () => {
    const post = await buildPost({ title: 'My manager reads my email' });
    const first = await postComment(test.services, post, { name: 'Ana', body: 'Get it in writing.' });
    await postComment(test.services, post, {
      name: 'Bo',
      body: 'Agree with Ana.',
      parent: String(first._id),
    });
    const page = await live.browser.newPage();
    await page.goto(`${live.server.url}/posts/${post.slug}`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-print-'));
    try {
      const pdf = path.join(dir, 'post.pdf');
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: pdf, format: 'A4', printBackground: false });
      // Read with pdfjs-dist (an npm package): the browser is the tests' only system prerequisite.
      const text = execFileSync(process.execPath, [path.join(ROOT, 'test/setup/pdf-text.mjs'), pdf], {
        encoding: 'utf8',
      });
      expect(text).toContain('My manager reads my email');
      expect(text).toContain('A reader writes:');
      expect(text).toContain('Every day at noon the whole floor smells of it.');
      expect(text).toContain('Talk to them, kindly.');
      expect(text).toMatch(/#1\s+Ana/);
      expect(text).toContain('Agree with Ana.');
      expect(text).toContain('replying to Ana (#1)');
      for (const absent of ['Leave a comment', 'Post comment', 'Reply', 'Report', 'Sign in'])
        expect(text).not.toContain(absent);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await page.close();
    }
  });
});
