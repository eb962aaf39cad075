import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { PostModel } from '../../../models/post';
import { UserModel } from '../../../models/user';
import { NO_PASSWORD } from '../../../server/services/import/accounts';
import { ImportReport } from '../../../server/services/import/report';
import { importWordpress } from '../../../server/services/import/wordpress';
import { buildTestApp } from '../../setup/app';

/** Made by a real WordPress 6.1 and its own exporter: see test/fixtures/import/README.md. */
const FIXTURE = path.join(__dirname, '../../fixtures/import/wordpress-real.xml');
const xml = readFileSync(FIXTURE, 'utf8');

/** What the file holds, counted from its text (not by the importer): items by type, comments by type. */
function countedInFile(): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (kind: string) => counts.set(kind, (counts.get(kind) ?? 0) + 1);
  for (const m of xml.matchAll(/<wp:post_type><!\[CDATA\[([^\]]+)\]\]><\/wp:post_type>/g)) add(m[1]);
  for (const m of xml.matchAll(/<wp:comment_type><!\[CDATA\[([^\]]*)\]\]><\/wp:comment_type>/g)) {
    add(m[1] || 'comment');
  }
  return counts;
}

/** The items of the file, with their fields. */
function items(): {
  title: string;
  link: string;
  id: string;
  type: string;
  status: string;
  password: string;
}[] {
  return [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map(([, item]) => {
    const field = (name: string) =>
      new RegExp(`<${name}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</${name}>`).exec(item)?.[1] ?? '';
    return {
      title: field('title'),
      link: field('link'),
      id: field('wp:post_id'),
      type: field('wp:post_type'),
      status: field('wp:status'),
      password: field('wp:post_password'),
    };
  });
}

describe('WordPress import of a real export (WordPress 6.1, Tools → Export)', () => {
  const { app } = buildTestApp();
  let first: ImportReport;
  let urls: [string, string][];

  beforeAll(async () => {
    first = new ImportReport();
    urls = [];
    first.onUrl = (from, to) => urls.push([from, to]);
    await importWordpress(FIXTURE, () => undefined, first);
  });

  it('accounts for every item and comment of the file: imported + skipped = total, by kind', () => {
    const inFile = countedInFile();
    for (const [kind, total] of inFile) {
      const counts = first.kinds.get(kind);
      expect({ kind, total: counts ? counts.imported + counts.existing + counts.skipped : 0 }).toEqual({
        kind,
        total,
      });
    }
    expect(first.kinds.get('post')).toMatchObject({ imported: 9, skipped: 1 }); // the trashed one
    expect(Object.fromEntries(first.kinds.get('post')!.states)).toEqual({
      published: 4,
      draft: 4,
      scheduled: 1,
    });
    expect(first.kinds.get('pingback')).toMatchObject({ imported: 0, skipped: 1 });
    expect(first.kinds.get('trackback')).toMatchObject({ imported: 0, skipped: 1 });
    expect(first.kinds.get('page')).toMatchObject({ imported: 0, skipped: 3 });
    const comments = first.kinds.get('comment')!;
    expect(comments.imported).toBe(first.comments.imported);
    expect(comments.imported + comments.skipped).toBe(inFile.get('comment'));
    expect(Object.fromEntries(comments.states)).toEqual({ visible: 478, held: 20 });
    expect(first.summary()).toContain('comment: 510 = 498 + 0 + 12 (here: 478 visible, 20 held)');
  });

  it('imports the file a second time without changing anything', async () => {
    const before = await CommentModel.countDocuments({});
    const again = await importWordpress(FIXTURE);
    expect(again.posts).toEqual({ imported: 0, existing: 9 });
    expect(again.comments).toEqual({ imported: 0, existing: 498 });
    expect(again.kinds.get('account')).toMatchObject({ imported: 0, existing: 4 });
    expect(await CommentModel.countDocuments({})).toBe(before);
  });

  it('keeps a long question as the title, and private, password-protected and pending posts unpublished', async () => {
    const long = items().find((item) => item.title.startsWith('My coworker keeps taking credit'))!;
    const credit = await PostModel.findOne({ slug: 'coworker-takes-credit' }).lean();
    expect(long.title.length).toBeGreaterThan(200);
    expect(credit?.title).toBe(long.title.replace(/&quot;/g, '"'));
    for (const title of [
      'Private: notes for the next column',
      'Members only: salary survey results',
      'Pending review: a guest column',
      'Draft: the cover letter question',
    ]) {
      expect(await PostModel.findOne({ title }).select('status').lean()).toMatchObject({ status: 'draft' });
    }
    expect(await PostModel.findOne({ title: 'An old post I deleted' }).lean()).toBeNull();
    expect(first.problems).toContain(
      'post 8 “Members only: salary survey results”: password-protected in WordPress: kept as a draft, not published',
    );
  });

  it('shows content as WordPress did: no block markup, letters found, captions as figures, embeds and images as links', async () => {
    const block = await PostModel.findOne({ slug: 'coworker-takes-credit' }).lean();
    expect(block?.letterHtml).toContain('My coworker takes credit for my work in every meeting.');
    expect(block?.letterHtml).not.toContain('A reader writes');
    expect(block?.excerpt).toMatch(/^My coworker takes credit for my work/);
    expect(block?.answerHtml).toContain(
      '<figure><a href="https://askthecolumnist.example/wp-content/uploads/2023/03/spreadsheet.png">Image: A spreadsheet full of pivot tables</a><figcaption>The spreadsheet in question.</figcaption></figure>',
    );
    expect(block?.answerHtml).toContain(
      '<a href="https://www.youtube.com/watch?v=aqz-KE-bpKQ">https://www.youtube.com/watch?v=aqz-KE-bpKQ</a>',
    );
    const classic = await PostModel.findOne({ slug: 'my-boss-texts-me-at-night' }).lean();
    expect(classic?.letterHtml).toContain('Is this normal?');
    expect(classic?.answerHtml).toContain('<figcaption>A phone, glowing at 11 pm.</figcaption>');
    for (const post of [block, classic]) {
      expect(`${post?.letterHtml}${post?.answerHtml}`).not.toMatch(/wp:|<!--|\[gallery|\[caption|\[contact/);
    }
    expect(first.problems).toEqual(
      expect.arrayContaining([
        'post 5 “My boss texts me at night”: dropped shortcode [gallery]',
        'post 5 “My boss texts me at night”: dropped shortcode [contact-form-7]',
      ]),
    );
  });

  it('makes accounts for the authors and registered commenters, without a password, and attaches their comments', async () => {
    const marisol = await UserModel.findOne({ username: 'Marisol Vance' }).select('+passwordHash').lean();
    expect(marisol).toMatchObject({ role: 'editor', passwordHash: NO_PASSWORD });
    const priya = await UserModel.findOne({ username: 'Priya Natarajan' }).lean();
    expect(priya?.role).toBe('commenter');
    expect(
      await CommentModel.countDocuments({ authorUser: priya?._id, authorKind: 'member' }),
    ).toBeGreaterThan(0);
    const columnist = await CommentModel.find({ authorUser: marisol?._id }).lean();
    expect(columnist.length).toBeGreaterThan(0);
    expect(columnist.every((c) => c.authorKind === 'columnist')).toBe(true);
    await request(app)
      .post('/login')
      .type('form')
      .send({ username: 'Marisol Vance', password: NO_PASSWORD })
      .expect((res) => expect(res.status).not.toBe(303));
  });

  it('answers every old address of a published post with a 301 to the page that shows it', async () => {
    const published = items().filter(
      (item) => item.type === 'post' && item.status === 'publish' && !item.password,
    );
    expect(published.length).toBe(4);
    for (const item of published) {
      const old = new URL(item.link);
      for (const address of [old.pathname, `${old.pathname}/`, `/?p=${item.id}`]) {
        const moved = await request(app).get(address).expect(301);
        const page = await request(app).get(moved.headers.location).expect(200);
        expect(cheerio.load(page.text)('h1').first().text().trim()).toBe(
          cheerio.load(`<p>${item.title}</p>`)('p').text().trim(),
        );
      }
    }
    const redirects: [string, string][] = [
      ['/2023/03/coworker-takes-credit.html', '/posts/coworker-takes-credit'],
      ['/coworker-takes-credit/', '/posts/coworker-takes-credit'],
      ['/2023/03/14/coworker-takes-credit/comment-page-2/', '/posts/coworker-takes-credit'],
      ['/my-boss-texts-me-at-night/feed/', '/posts/my-boss-texts-me-at-night/comments.xml'],
      ['/category/bosses/', '/tags/bosses'],
      ['/tag/credit/', '/tags/credit'],
      ['/feed/', '/feed.xml'],
      ['/?feed=rss2', '/feed.xml'],
    ];
    for (const [from, to] of redirects) {
      const res = await request(app).get(from).expect(301);
      expect({ from, to: res.headers.location }).toEqual({ from, to });
    }
    // Not an address at all, or far too long: the 404 page, never an error.
    await request(app).get('//[x').expect(404);
    await request(app)
      .get(`/${'/a'.repeat(3000)}`)
      .expect(404);
    // Unpublished posts' old addresses stay not found.
    await request(app).get('/2023/02/02/members-only-salary-survey-results/').expect(404);
  });

  it('lands an old #comment-123 anchor on the right comment, on the right page of the thread', async () => {
    const commentUrls = urls.filter(([from]) => from.includes('#comment-'));
    expect(commentUrls.length).toBe(498);
    // Every 25th, and the last ones (later pages of the 360-comment thread).
    const sample = commentUrls.filter((_u, i) => i % 25 === 0 || i > commentUrls.length - 4);
    let checked = 0;
    for (const [from, to] of sample) {
      const [link, wpId] = from.split('#comment-');
      const slug = /\/posts\/([^/]+)\//.exec(to)![1];
      const moved = await request(app).get(new URL(link).pathname).expect(301);
      expect(moved.headers.location).toBe(`/posts/${slug}`);
      // The post page's script turns #comment-123 into this address when the anchor is not on the page.
      const id = to.split('/').pop();
      const stored = await CommentModel.findById(id).select('status').lean();
      const found = await request(app).get(`/posts/${slug}/comments/wp-${wpId}`);
      if (stored?.status !== 'visible') {
        // Held in WordPress, held here: not shown to readers, so not found.
        expect(found.status).toBe(404);
        continue;
      }
      expect(found.status).toBe(302);
      expect(found.headers.location).toMatch(new RegExp(`#comment-${id}$`));
      const page = await request(app).get(found.headers.location.split('#')[0]).expect(200);
      expect(cheerio.load(page.text)(`#comment-${id}`).length).toBe(1);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(15);
    await request(app).get('/posts/coworker-takes-credit/comments/wp-999999').expect(404);
  });
});
