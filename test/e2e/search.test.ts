import { buildUser } from '../fixtures/users';
import { buildTestApp } from '../setup/app';
import { liveBrowser } from '../setup/live';

describe('search in the browser', () => {
  jest.setTimeout(60000);
  const test = buildTestApp();
  const live = liveBrowser(test);

  it('suggests post titles as one types, chosen by keyboard; without a choice, Enter searches', async () => {
    const editor = await buildUser(test.services, 'editor');
    const post = await test.services.posts.create(
      {
        title: 'My coworker takes credit for my spreadsheets',
        slug: '',
        letter: 'She presents my spreadsheets as hers.',
        answer: 'Present them yourself, first.',
        tags: 'credit',
        authorName: 'The Columnist',
        status: 'published',
        commentStatus: 'open',
        publishAt: '',
      },
      editor,
    );
    await test.services.searchIndex.flush();
    const page = await live.browser.newPage();
    await page.goto(`${live.server.url}/`);
    const box = page.locator('#site-search-q');
    await box.focus();
    await page.keyboard.type('spreads');
    const option = page.locator('#site-search-suggestions [role=option]');
    await option.first().waitFor();
    expect(await option.allTextContents()).toEqual(['My coworker takes credit for my spreadsheets']);
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await box.getAttribute('aria-activedescendant')).toBe('suggestion-0');
    await Promise.all([page.waitForURL(`**/posts/${post.slug}`), page.keyboard.press('Enter')]);

    // Escape closes the suggestions; Enter then submits the form to the results page.
    await page.locator('#site-search-q').fill('');
    await page.locator('#site-search-q').focus();
    await page.keyboard.type('spreadsheet');
    await page.locator('#site-search-suggestions [role=option]').first().waitFor();
    await page.keyboard.press('Escape');
    await Promise.all([page.waitForURL('**/search?q=spreadsheet'), page.keyboard.press('Enter')]);
    expect(await page.locator('.search-result__title').first().textContent()).toBe(post.title);
    expect(await page.locator('.search-result__snippet mark').first().textContent()).toBe('spreadsheets');
    await page.close();
  });
});
