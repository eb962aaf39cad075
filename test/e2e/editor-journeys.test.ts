/**
 * Editors' journeys in Chromium, where typed text used to be lost: a redaction typed and not saved
 * before "Answer this letter", leaving a changed form, the live preview, scheduling in the site's
 * time zone, and what publishing says about who was mailed.
 */
import { LetterModel } from '../../models/letter';
import { PostModel } from '../../models/post';
import { buildUser } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';
import { signInPage } from '../setup/browser';

describe('an editor never loses a redaction or a draft', () => {
  jest.setTimeout(120000);
  const test = buildTestApp({ SITE_TIME_ZONE: 'America/New_York' });
  const live = liveBrowser(test);

  async function letter() {
    return LetterModel.create({
      reference: `Q-${Math.random().toString(16).slice(2, 8).toUpperCase()}`,
      subject: 'My manager at Acme Widgets reads my email',
      body: 'I am Jane Doe, the only accountant at Acme Widgets in Dayton, and my manager reads my email.',
      email: 'jane@example.com',
      consentPublish: true,
    });
  }

  it('drafts the answer from the redaction on screen, saved or not', async () => {
    const written = await letter();
    const editor = await buildUser(test.services, 'editor');
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, editor.username);
    await page.goto(`${live.server.url}/editor/letters/${written._id}`);
    const redacted = 'I am the only accountant at a small firm, and my manager reads my email.';
    await page.fill('#field-redactedBody', redacted);
    // Straight to "Answer this letter", without "Save redaction".
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Answer this letter' }).click(),
    ]);
    expect(page.url()).toMatch(/\/editor\/posts\/[a-f0-9]{24}\/edit$/);
    expect(await page.inputValue('#field-letter')).toBe(redacted);
    const draft = await PostModel.findOne({ letter: written._id }).lean();
    expect(draft?.letterSource).toBe(redacted);
    expect(draft?.letterHtml).not.toContain('Jane Doe');
    expect((await LetterModel.findById(written._id).lean())?.redactedBody).toBe(redacted);
    await page.close();
  });

  it('asks before leaving a changed form, and not after saving it', async () => {
    const written = await letter();
    const editor = await buildUser(test.services, 'editor');
    const page = await live.browser.newPage();
    await signInPage(page, live.server.url, editor.username);
    await page.goto(`${live.server.url}/editor/letters/${written._id}`);
    await page.fill('#field-redactedBody', 'Changed, not saved.');
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss(); // stay on the page
    });
    await page.getByRole('link', { name: '← All letters' }).click();
    await page.waitForTimeout(300);
    expect(asked).toEqual(['beforeunload']);
    expect(page.url()).toContain(`/editor/letters/${written._id}`);
    expect(await page.inputValue('#field-redactedBody')).toBe('Changed, not saved.');
    // Saving is leaving on purpose: no question.
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Save redaction' }).click(),
    ]);
    expect(asked).toHaveLength(1);
    expect(await page.inputValue('#field-redactedBody')).toBe('Changed, not saved.');
    await page.close();
  });

  it('previews as the editor types, schedules in the site time zone, and says who publishing mailed', async () => {
    const written = await letter();
    const editor = await buildUser(test.services, 'editor');
    const context = await live.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signInPage(page, live.server.url, editor.username);
    await page.goto(`${live.server.url}/editor/letters/${written._id}`);
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Answer this letter' }).click(),
    ]);

    await page.fill('#field-answer', 'Talk to **IT** first.');
    await page.locator('[data-preview-answer] strong', { hasText: 'IT' }).waitFor();
    const form = await page.locator('form.editor-form').boundingBox();
    const preview = await page.locator('#answer-preview').boundingBox();
    expect(preview!.x).toBeGreaterThan(form!.x + form!.width - 1); // beside the form, not below it

    // Scheduled at 09:30 on the site's clocks (New York, UTC−5 in January).
    expect(await page.locator('label[for=field-publishAt]').textContent()).toContain('America/New_York (UTC');
    await page.check('input[name=status][value=scheduled]');
    await page.fill('#field-publishAt', '2031-01-15T09:30');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    const scheduled = await PostModel.findOne({ letter: written._id }).lean();
    expect(scheduled?.publishedAt?.toISOString()).toBe('2031-01-15T14:30:00.000Z');
    expect(await page.inputValue('#field-publishAt')).toBe('2031-01-15T09:30');

    await page.check('input[name=status][value=published]');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    const notice = await page.locator('.notice--published').textContent();
    expect(notice).toContain('Published: the post is live.');
    expect(notice).toContain(`The writer of letter ${written.reference} (jane@example.com)`);
    await context.close();
  });
});
