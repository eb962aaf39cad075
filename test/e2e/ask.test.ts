/**
 * The Ask form in Chromium: a letter over the limit is said to be so as it is typed and is not sent
 * (never cut), and the form is kept as a draft until the letter is sent.
 */
import { LetterModel } from '../../models/letter';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';

describe('writing a letter', () => {
  jest.setTimeout(120000);
  const test = buildTestApp({ ASK_MIN_SECONDS: '0' });
  const live = liveBrowser(test);

  it('counts, keeps an over-long letter whole and unsent, keeps a draft across pages, and forgets it once sent', async () => {
    for (const width of [1280, 375]) {
      const context = await live.browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${live.server.url}/ask`);
      const long = 'My manager keeps moving my deadlines. '.repeat(230); // 8,740 characters
      await page.fill('#field-subject', `Deadlines that move (${width})`);
      await page.fill('#field-letter', long);
      expect(await page.inputValue('#field-letter')).toBe(long); // nothing cut
      expect(await page.textContent('#counter-letter')).toMatch(/^Over the limit by 7\d\d characters/);
      await page.click('form[data-letter-form] button[type=submit]');
      expect(new URL(page.url()).pathname).toBe('/ask'); // not sent
      expect(await LetterModel.countDocuments({ subject: `Deadlines that move (${width})` })).toBe(0);

      // Away and back: the draft is there.
      await page.goto(`${live.server.url}/`);
      await page.goto(`${live.server.url}/ask`);
      expect(await page.inputValue('#field-letter')).toBe(long);
      await page.fill('#field-letter', long.slice(0, 2000));
      expect(await page.textContent('#counter-letter')).toBe('6,000 characters left');
      await page.fill('#field-email', 'writer@example.com');
      await page.check('#field-consentPublish');
      await Promise.all([
        page.waitForURL(/\/ask\/sent\//),
        page.click('form[data-letter-form] button[type=submit]'),
      ]);
      expect(await LetterModel.countDocuments({ subject: `Deadlines that move (${width})` })).toBe(1);
      await page.goto(`${live.server.url}/ask`);
      expect(await page.inputValue('#field-letter')).toBe('');
      await context.close();
    }
  });
});
