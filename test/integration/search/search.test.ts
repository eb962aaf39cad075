import * as cheerio from 'cheerio';
import request from 'supertest';
import { PostModel } from '../../../models/post';
import { MigrationModel } from '../../../models/migration';
import { SearchDocModel, SearchSegmentModel, SearchStatModel } from '../../../models/search';
import { runMigrations } from '../../../server/db/migrations';
import { docCount } from '../../../server/services/search/doc-count';
import { MERGE_AT } from '../../../server/services/search/segments';
import { postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

/**
 * A fixed corpus through the real services (so the index follows their events), then searched
 * through the page and the API.
 */
describe('search', () => {
  jest.setTimeout(60000);
  const { app, services } = buildTestApp();
  let editor: Awaited<ReturnType<typeof buildUser>>;
  let moderator: Awaited<ReturnType<typeof buildUser>>;
  const post = (title: string, letter: string, answer: string, tags: string, status = 'published') =>
    services.posts.create(
      {
        title,
        slug: '',
        letter,
        answer,
        tags,
        authorName: 'The Columnist',
        status,
        commentStatus: 'open',
        publishAt: '',
      },
      editor,
    );
  const settle = () => services.searchIndex.flush();
  const api = async (query: string, agent = request(app)) =>
    (await agent.get(`/api/search?${query}`).expect(200)).body as {
      results: {
        kind: string;
        title: string;
        number?: number;
        author: string;
        snippet: string;
        url: string;
        status?: string;
      }[];
      hasNext: boolean;
    };

  let credit: Awaited<ReturnType<typeof post>>;
  let fish: Awaited<ReturnType<typeof post>>;

  beforeAll(async () => {
    editor = await buildUser(services, 'editor');
    moderator = await buildUser(services, 'moderator');
    credit = await post(
      'My coworker takes credit for my work',
      'A coworker presents my analysis as hers in every meeting with our manager.',
      'Send the analysis to your manager before the meeting, and present it yourself.',
      'coworkers, credit',
    );
    fish = await post(
      'My boss texts me at night',
      'My manager sends texts at 11 pm and expects answers.',
      'Tell your boss what hours you answer messages; managers usually accept a clear boundary.',
      'bosses, boundaries',
    );
    await post('Draft about credit', 'Not yet published: credit credit credit.', 'Draft.', 'credit', 'draft');
    await postComment(services, credit, {
      name: 'Alison',
      body: 'The spreadsheet trick saved me: I put my initials in every file name.',
    });
    await postComment(services, credit, {
      name: 'Bea',
      body: 'My manager noticed who did the work once I presented it myself.',
    });
    await postComment(services, credit, {
      name: 'Cal',
      body: 'Credit thieves rarely stop on their own. Managers should notice.',
    });
    await postComment(services, fish, {
      name: 'Dee',
      body: 'A boss who texts at night is not respecting boundaries.',
    });
    await settle();
  });

  it('ranks by relevance: the post about credit first, then comments that say it', async () => {
    const { results } = await api('q=credit');
    expect(results[0]).toMatchObject({ kind: 'post', title: 'My coworker takes credit for my work' });
    expect(results.map((r) => r.author)).toContain('Cal');
    // Drafts are never found by readers.
    expect(results.map((r) => r.title)).not.toContain('Draft about credit');
  });

  it('keeps count of its documents (N, for IDF) as it writes them, without counting them', async () => {
    expect(await docCount.read()).toBe(await SearchDocModel.countDocuments());
    // An index written before the counter is counted once, by a migration at boot.
    await SearchStatModel.deleteMany({});
    await MigrationModel.deleteOne({ _id: '2026-11-search-document-count' });
    expect(await docCount.read()).toBeNull();
    expect(await runMigrations()).toContain('2026-11-search-document-count');
    expect(await docCount.read()).toBe(await SearchDocModel.countDocuments());
  });

  it('says where its time went in a Server-Timing header', async () => {
    const res = await request(app).get('/api/search?q=credit').expect(200);
    expect(res.headers['server-timing']).toMatch(/^lists;dur=[\d.]+, intersect;dur=[\d.]+, rank;dur=[\d.]+/);
  });

  it('stems English: managers finds manager and managing', async () => {
    const { results } = await api('q=managers&type=comments');
    expect(results.map((r) => r.author).sort()).toEqual(['Bea', 'Cal']);
    expect(results.find((r) => r.author === 'Bea')!.snippet).toContain('<mark>manager</mark>');
  });

  it('matches quoted phrases in order, and leaves out -words', async () => {
    expect((await api('q=%22spreadsheet%20trick%22')).results.map((r) => r.author)).toEqual(['Alison']);
    expect((await api('q=%22trick%20spreadsheet%22')).results).toHaveLength(0);
    const without = await api('q=manager%20-boss');
    expect(without.results.map((r) => r.title)).not.toContain('My boss texts me at night');
    expect(without.results.length).toBeGreaterThan(0);
  });

  it('filters by kind, tag, author and date', async () => {
    expect((await api('q=manager&type=posts')).results.every((r) => r.kind === 'post')).toBe(true);
    expect((await api('q=manager&tag=bosses')).results.map((r) => r.title)).toEqual([
      'My boss texts me at night',
    ]);
    expect((await api('q=manager&author=bea')).results.map((r) => r.author)).toEqual(['Bea']);
    expect((await api('q=manager&to=2000-01-01')).results).toHaveLength(0);
    await request(app).get('/api/search?q=manager&from=yesterday').expect(400);
  });

  it('follows a post’s new tags: its comments are found under the new tag, not the old', async () => {
    const retagged = await post('Lunch thief', 'Someone eats my yoghurt.', 'Label it.', 'kitchens');
    await postComment(services, retagged, { name: 'Hal', body: 'Yoghurt thieves get caught eventually.' });
    // (Twice: a post indexed for the first time queues its comments again.)
    await settle();
    await settle();
    const byTag = async (tag: string) => (await api(`q=yoghurt&type=comments&tag=${tag}`)).results;
    expect((await byTag('kitchens')).map((r) => r.author)).toEqual(['Hal']);
    await services.posts.update(
      String(retagged._id),
      {
        title: retagged.title,
        slug: retagged.slug,
        letter: retagged.letterSource,
        answer: retagged.answerSource,
        tags: 'food',
        authorName: 'The Columnist',
        status: 'published',
        commentStatus: 'open',
        publishAt: '',
      },
      editor,
    );
    await settle();
    await settle();
    expect(await byTag('kitchens')).toEqual([]);
    expect((await byTag('food')).map((r) => r.author)).toEqual(['Hal']);
  });

  it('searches within one thread from its post page, listing comments by number', async () => {
    const page = cheerio.load((await request(app).get(`/posts/${credit.slug}`).expect(200)).text);
    expect(page('form.thread-search input[name=post]').val()).toBe(credit.slug);
    const found = cheerio.load(
      (await request(app).get(`/search?q=manager&post=${credit.slug}`).expect(200)).text,
    );
    const titles = found('.search-result__title')
      .map((_, el) => found(el).text())
      .get();
    expect(titles).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^#\d+ by Bea$/),
        expect.stringMatching(/^#\d+ by Cal$/),
      ]),
    );
    expect(titles).toHaveLength(2);
    expect(found('.search-result__title a').first().attr('href')).toMatch(
      new RegExp(`^/posts/${credit.slug}/comments/[0-9a-f]{24}$`),
    );
  });

  it('escapes what it shows: a comment’s markup is text in the snippet', async () => {
    await postComment(services, fish, {
      name: 'Eve',
      body: 'Night owl: 5 < 6 & <img src=x onerror=alert(1)> boundaries',
    });
    await settle();
    const { results } = await api('q=owl');
    expect(results[0].snippet).toContain('<mark>owl</mark>: 5 &lt; 6 &amp;');
    expect(results[0].snippet).not.toContain('<img');
  });

  it('follows edits, deletions and moderation; moderators find removed comments, readers do not', async () => {
    const member = await buildUser(services);
    const mine = await postComment(
      services,
      fish,
      { body: 'Penguins are the best coworkers.' },
      { user: member },
    );
    await settle();
    expect((await api('q=penguins')).results).toHaveLength(1);
    await services.ownComments.edit(member, String(mine._id), 'Walruses are the best coworkers.');
    await settle();
    expect((await api('q=penguins')).results).toHaveLength(0);
    expect((await api('q=walrus')).results).toHaveLength(1);

    await services.moderation.act(moderator, String(mine._id), 'remove', 'off topic');
    await settle();
    expect((await api('q=walrus')).results).toHaveLength(0);
    const mod = await signIn(app, moderator.username);
    const everything = await api('q=walrus&scope=all', mod.agent);
    expect(everything.results).toHaveLength(1);
    expect(everything.results[0].status).toBe('removed');
    await request(app).get('/api/search?q=walrus&scope=all').expect(403);
    const queue = cheerio.load((await mod.agent.get('/moderation').expect(200)).text);
    expect(queue('form[action="/search"] input[name=scope]').val()).toBe('all');
    const page = cheerio.load((await mod.agent.get('/search?q=walrus&scope=all').expect(200)).text);
    expect(page('.search-result__status').text()).toBe('removed');
    // Drafts may hold a reader's letter: moderators do not find them, admins do.
    const modDrafts = await api('q=credit&scope=all', mod.agent);
    expect(modDrafts.results.map((r) => r.title)).not.toContain('Draft about credit');
    const admin = await buildUser(services, 'admin');
    const drafts = await api('q=credit&scope=all', (await signIn(app, admin.username)).agent);
    expect(drafts.results.map((r) => r.title)).toContain('Draft about credit');

    await services.moderation.act(moderator, String(mine._id), 'restore');
    await settle();
    expect((await api('q=walrus')).results).toHaveLength(1);
    await services.ownComments.deleteOwn(member, String(mine._id));
    await settle();
    expect((await api('q=walrus')).results).toHaveLength(0);
  });

  it('keeps finding a comment removed and restored, however often its word’s rows are merged since', async () => {
    const gil = await postComment(services, credit, { name: 'Gil', body: 'Narwhals understand deadlines.' });
    await settle();
    await services.moderation.act(moderator, String(gil._id), 'remove', 'checking');
    await settle();
    expect((await api('q=narwhal')).results).toHaveLength(0);
    await services.moderation.act(moderator, String(gil._id), 'restore');
    await settle();
    // Enough indexing batches with the word for its rows to be merged, up a size class and more:
    // the removal's postings (written before the restore) must never come back.
    for (let i = 0; i < MERGE_AT * 2; i += 1) {
      await postComment(services, fish, { name: `Writer ${i}`, body: `Narwhal fact number ${i}.` });
      await settle();
    }
    expect(await SearchSegmentModel.countDocuments({ t: 'narwhal' })).toBeLessThan(MERGE_AT);
    const found = await api('q=narwhal&type=comments');
    expect(found.results).toHaveLength(MERGE_AT * 2 + 1);
    expect(found.results.map((r) => r.author)).toContain('Gil');
  });

  it('never ties a renamed writer’s comments to the old name through the author filter', async () => {
    const writer = await buildUser(services);
    const oldName = writer.username;
    await postComment(services, credit, { body: 'Quokkas keep their receipts.' }, { user: writer });
    await settle();
    expect((await api(`q=quokka&author=${encodeURIComponent(oldName)}`)).results).toHaveLength(1);
    await services.accounts.rename(writer, 'Brand New Name');
    await settle();
    expect((await api(`q=quokka&author=${encodeURIComponent(oldName)}`)).results).toHaveLength(0);
    expect((await api('q=quokka -receipts')).results).toHaveLength(0);
  });

  it('hides comments on a post unpublished by another process at once, before the index hears of it', async () => {
    const dee = async () => (await api('q=respecting&type=comments')).results.map((r) => r.author);
    expect(await dee()).toEqual(['Dee']);
    // Another process takes the post back to draft: no event reaches this one, nothing is reindexed.
    await PostModel.updateOne({ _id: fish._id }, { $set: { status: 'draft' } });
    expect(await dee()).toEqual([]);
    await PostModel.updateOne({ _id: fish._id }, { $set: { status: 'published' } });
    expect(await dee()).toEqual(['Dee']);
  });

  it('follows a post taken back to draft: it and its comments leave the results', async () => {
    await services.posts.update(
      String(fish._id),
      {
        title: fish.title,
        slug: fish.slug,
        letter: fish.letterSource,
        answer: fish.answerSource,
        tags: 'bosses, boundaries',
        authorName: 'The Columnist',
        status: 'draft',
        commentStatus: 'open',
        publishAt: '',
      },
      editor,
    );
    await settle();
    expect((await api('q=boundaries')).results).toHaveLength(0);
  });

  it('suggests post titles as one types', async () => {
    const { body } = await request(app).get('/api/search/suggest?q=cowork').expect(200);
    expect(body.suggestions).toEqual([
      { title: 'My coworker takes credit for my work', url: `/posts/${credit.slug}` },
    ]);
    expect(
      (await request(app).get('/api/search/suggest?q=my%20cre').expect(200)).body.suggestions,
    ).toHaveLength(1);
    expect((await request(app).get('/api/search/suggest?q=x').expect(200)).body.suggestions).toEqual([]);
  });

  it('has a search box in every page header that works without JavaScript', async () => {
    const home = cheerio.load((await request(app).get('/').expect(200)).text);
    expect(home('header form[role=search]').attr('action')).toBe('/search');
    const page = cheerio.load((await request(app).get('/search?q=spreadsheet').expect(200)).text);
    expect(page('.search-result__title').first().text()).toMatch(/by Alison/);
    expect(page('.search-result__snippet mark').first().text()).toBe('spreadsheet');
  });

  it('rebuilds the whole index with the same results', async () => {
    const before = (await api('q=manager')).results.map((r) => r.url);
    const progress: string[] = [];
    await services.searchIndex.rebuild((m) => progress.push(m));
    expect(progress.at(-1)).toMatch(/^done: \d+ posts and \d+ comments/);
    expect((await api('q=manager')).results.map((r) => r.url)).toEqual(before);
    expect(await SearchSegmentModel.countDocuments({ t: 'manag' })).toBeGreaterThan(0);
    expect(await docCount.read()).toBe(await SearchDocModel.countDocuments());
  });
});

describe('search limit', () => {
  const { app } = buildTestApp({ SEARCH_PER_MINUTE: '3' });

  it('answers 429 with a readable message once an address has searched too often in a minute', async () => {
    for (let i = 0; i < 3; i += 1) await request(app).get('/api/search?q=anything').expect(200);
    const api = await request(app).get('/api/search?q=anything').expect(429);
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    expect(api.body.error.message).toMatch(/Too many searches/);
    const page = await request(app).get('/search?q=anything').set('Accept', 'text/html').expect(429);
    expect(cheerio.load(page.text)('main').text()).toMatch(/Too many searches/);
    // Title suggestions are not counted.
    await request(app).get('/api/search/suggest?q=anyth').expect(200);
  });
});
