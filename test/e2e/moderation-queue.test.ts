/**
 * The moderation queue as a work surface, in Chromium: held and reported comments are cleared with
 * one click per card (approve, dismiss reports, remove), in place, at 1280 and 375 px, and every
 * outcome is checked where readers see it and in the audit log. The same buttons work without
 * JavaScript, each as its own form.
 */
import * as cheerio from 'cheerio';
import mongoose from 'mongoose';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { AuditEntryModel } from '../../models/audit-entry';
import { CommentModel } from '../../models/comment';
import { ReportModel } from '../../models/report';
import { buildPost, postComment } from '../fixtures/factories';
import { buildUser } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';
import { signInPage } from '../setup/browser';

const SHOTS = process.env.QUEUE_SHOTS_DIR; // set to keep screenshots of the queue at each width

describe('a moderation queue cleared one click per card', () => {
  jest.setTimeout(120000);
  // Any link holds a comment: the held queue fills at will.
  const test = buildTestApp({ HOLD_LINKS_OVER: '0' });
  const live = liveBrowser(test);

  /** A post with two held comments and two reported ones (the reports from guests at two addresses). */
  async function thread() {
    const post = await buildPost();
    const say = (name: string, body: string, parent?: { _id: unknown }) =>
      postComment(test.services, post, { name, body, parent: parent && String(parent._id) });
    const fair = await say('Held Hana', 'My notes: https://example.org/notes');
    const spam = await say('Spammy Sam', 'Cheap pills https://spam.example');
    const fine = await say('Fine Fay', 'A fair point, kindly made.');
    const rude = await say('Rude Rod', 'You are all fools.', fine);
    expect([fair.status, spam.status, fine.status, rude.status]).toEqual([
      'pending',
      'pending',
      'visible',
      'visible',
    ]);
    await test.services.moderation.report({ ip: '198.51.100.1' }, String(fine._id), {
      category: 'off-topic',
      reason: '',
    });
    await test.services.moderation.report({ ip: '198.51.100.1' }, String(rude._id), {
      category: 'abuse',
      reason: 'Name-calling',
    });
    await test.services.moderation.report({ ip: '203.0.113.7' }, String(rude._id), {
      category: 'abuse',
      reason: '',
    });
    return { post, fair, spam, fine, rude };
  }

  const card = (page: Page, name: string) =>
    page.locator('li.queue-card').filter({ has: page.locator('.queue-card__title', { hasText: name }) });

  /** Clicks a card's button and waits for the card to leave, with no page load. */
  async function clickAway(page: Page, name: string, button: string) {
    let loads = 0;
    const counted = () => (loads += 1);
    page.on('load', counted);
    await card(page, name).getByRole('button', { name: button, exact: true }).click();
    await card(page, name).waitFor({ state: 'detached' });
    page.off('load', counted);
    expect(loads).toBe(0);
  }

  for (const width of [1280, 375]) {
    it(`approves, dismisses and removes in place at ${width} px, and the public page agrees`, async () => {
      const { post, fair, spam, fine, rude } = await thread();
      const moderator = await buildUser(test.services, 'moderator');
      const context = await live.browser.newContext({ viewport: { width, height: width > 500 ? 900 : 800 } });
      const page = await context.newPage();
      await signInPage(page, live.server.url, moderator.username);

      await page.goto(`${live.server.url}/moderation?post=${post.slug}`);
      // The first card starts within the first screen, phone included.
      const first = await page.locator('li.queue-card').first().boundingBox();
      expect(first!.y).toBeLessThan(width > 500 ? 900 : 800);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
      expect(await card(page, 'Spammy Sam').locator('.queue-card__meta').textContent()).toContain(
        'held: 1 link (more than 0)',
      );
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/held-${width}.png` });
      await clickAway(page, 'Held Hana', 'Approve');
      await clickAway(page, 'Spammy Sam', 'Remove');
      expect(await page.locator('[data-queue-status]').textContent()).toMatch(/removed\. 0 items left/);

      await page.goto(`${live.server.url}/moderation?queue=reported&post=${post.slug}`);
      // Reports counted by category, with the readers' words; the reply shows what it answers.
      const rudeCard = card(page, 'Rude Rod');
      expect((await rudeCard.locator('.queue-card__groups').textContent())!.replace(/\s+/g, ' ')).toBe(
        'Abuse or harassment ×2',
      );
      expect(await rudeCard.locator('.queue-card__notes').textContent()).toContain('Name-calling');
      expect(await rudeCard.locator('.queue-card__reporters').textContent()).toBe('From 2 guests.');
      expect(await rudeCard.locator('.queue-card__parent').textContent()).toContain('In reply to');
      expect(await rudeCard.locator('.queue-card__parent').textContent()).toContain('Fine Fay');
      expect(await rudeCard.locator('select[name=reason]').inputValue()).toBe('Abuse or harassment');
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/reported-${width}.png`, fullPage: true });
      await clickAway(page, 'Fine Fay', 'Dismiss reports');
      await clickAway(page, 'Rude Rod', 'Remove');

      // The queues are empty for this post, from the server's side too.
      await page.goto(`${live.server.url}/moderation?queue=reported&post=${post.slug}`);
      expect(await page.locator('[data-queue-empty]').isVisible()).toBe(true);
      await page.goto(`${live.server.url}/moderation?post=${post.slug}`);
      expect(await page.locator('[data-queue-empty]').isVisible()).toBe(true);
      await context.close();

      // What readers see: the approved and the dismissed comments shown, the removed ones gone.
      const $ = cheerio.load((await request(test.app).get(`/posts/${post.slug}`).expect(200)).text);
      const body = (c: { _id: unknown }) =>
        $(`#comment-${String(c._id)} > article .comment__body`)
          .text()
          .trim();
      expect(body(fair)).toBe('My notes: https://example.org/notes');
      expect(body(fine)).toBe('A fair point, kindly made.');
      // A removed comment with no replies leaves no trace in the thread.
      expect($('#comments').text()).not.toContain('You are all fools.');
      expect($('#comments').text()).not.toContain('Cheap pills');
      expect(await ReportModel.countDocuments({ comment: fine._id, resolved: false })).toBe(0);
      expect((await CommentModel.findById(fine._id).lean())?.status).toBe('visible');

      // Each action is in the audit log, the dismissal with what was dismissed.
      const audit = await AuditEntryModel.find({
        targetId: mongoose.trusted({ $in: [fair, spam, fine, rude].map((c) => String(c._id)) }),
      }).lean();
      expect(audit.map((a) => `${a.action} ${a.targetLabel.split(' ')[0]}`).sort()).toEqual(
        [
          `comment.approve #${fair.number}`,
          `comment.dismiss #${fine.number}`,
          `comment.remove #${rude.number}`,
          `comment.remove #${spam.number}`,
        ].sort(),
      );
      expect(audit.find((a) => a.action === 'comment.dismiss')?.reason).toBe(
        '1 report dismissed: Off topic ×1',
      );
      expect(audit.find((a) => a.targetId === String(rude._id))?.reason).toBe('Abuse or harassment');
    });
  }

  it('works without JavaScript: each button is a form that comes back to the queue with what it did', async () => {
    const { post, fine } = await thread();
    const moderator = await buildUser(test.services, 'moderator');
    const context = await live.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signInPage(page, live.server.url, moderator.username);
    await page.goto(`${live.server.url}/moderation?queue=reported&post=${post.slug}`);
    await Promise.all([
      page.waitForNavigation(),
      card(page, 'Fine Fay').getByRole('button', { name: 'Dismiss reports' }).click(),
    ]);
    expect(await page.locator('.notice').textContent()).toBe(`#${fine.number} cleared of reports.`);
    expect(await card(page, 'Fine Fay').count()).toBe(0);
    expect(await card(page, 'Rude Rod').count()).toBe(1);
    await context.close();
  });

  it('refuses a dismissal with nothing to dismiss, on the card, and keeps the card', async () => {
    const { post, fine } = await thread();
    const moderator = await buildUser(test.services, 'moderator');
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, moderator.username);
    await page.goto(`${live.server.url}/moderation?queue=reported&post=${post.slug}`);
    // Another moderator dismissed it meanwhile.
    await ReportModel.updateMany({ comment: fine._id }, { $set: { resolved: true } });
    await card(page, 'Fine Fay').getByRole('button', { name: 'Dismiss reports' }).click();
    await card(page, 'Fine Fay').locator('[data-card-result]').waitFor({ state: 'visible' });
    expect(await card(page, 'Fine Fay').locator('[data-card-result]').textContent()).toBe(
      `Comment #${fine.number} has no open reports to dismiss.`,
    );
    await page.close();
  });
});
