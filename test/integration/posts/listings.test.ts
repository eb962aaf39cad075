import * as cheerio from 'cheerio';
import request from 'supertest';
import { MigrationModel } from '../../../models/migration';
import { PostListingModel } from '../../../models/post-listing';
import { PostModel } from '../../../models/post';
import { runMigrations } from '../../../server/db/migrations';
import type { PostInput } from '../../../server/services/posts/post-service';
import { buildPost } from '../../fixtures/factories';
import { buildTestApp, guestForm } from '../../setup/app';

const input = (overrides: Partial<PostInput> = {}): PostInput => ({
  title: 'My manager texts me at night',
  slug: '',
  letter: 'Every night at ten.',
  answer: 'Say so.',
  tags: 'managers, boundaries',
  authorName: 'The Columnist',
  status: 'published',
  commentStatus: 'open',
  publishAt: '',
  ...overrides,
});

describe('post lists (home page, tags, feed) follow every change to a post', () => {
  let clock = Date.UTC(2026, 5, 1);
  const { app, services } = buildTestApp({ POSTS_PER_PAGE: '2' }, undefined, () => clock);
  const titles = async (path: string) => {
    const $ = cheerio.load((await request(app).get(path).expect(200)).text);
    return $('.post-summary__title')
      .map((_, el) => $(el).text())
      .get();
  };

  beforeEach(async () => {
    await PostModel.deleteMany({});
    await PostListingModel.deleteMany({});
  });

  it('lists by publication time, whatever the order of writing, and pages without counting', async () => {
    await buildPost({ title: 'Written first, published last', publishedAt: new Date('2026-03-01') });
    await buildPost({ title: 'Published first', publishedAt: new Date('2026-01-01') });
    await buildPost({ title: 'Published second', publishedAt: new Date('2026-02-01') });
    expect(await titles('/')).toEqual(['Written first, published last', 'Published second']);
    expect(await titles('/?page=2')).toEqual(['Published first']);
    await request(app).get('/?page=3').expect(404);
  });

  it('adds, moves and removes a post as an editor publishes, retags and unpublishes it', async () => {
    const post = await services.posts.create(input());
    expect(await titles('/')).toEqual(['My manager texts me at night']);
    expect(await titles('/tags/managers')).toEqual(['My manager texts me at night']);

    await services.posts.update(String(post._id), input({ tags: 'boundaries' }));
    await request(app).get('/tags/managers').expect(404);
    expect(await titles('/tags/boundaries')).toEqual(['My manager texts me at night']);

    await services.posts.update(String(post._id), input({ status: 'draft' }));
    expect(await titles('/')).toEqual([]);
    expect(await PostListingModel.countDocuments({ post: post._id })).toBe(0);
  });

  it('lists a scheduled post when it publishes itself', async () => {
    await services.posts.create(input({ status: 'scheduled', publishAt: '2026-06-02T09:00' }));
    expect(await titles('/')).toEqual([]);
    clock = Date.UTC(2026, 5, 2, 9, 1);
    expect(await services.posts.publishDue()).toBe(1);
    expect(await titles('/')).toEqual(['My manager texts me at night']);
    const feed = cheerio.load((await request(app).get('/feed.xml').expect(200)).text, { xml: true });
    expect(feed('item > title').text()).toBe('My manager texts me at night');
  });
});

describe('migrations', () => {
  const { app } = buildTestApp();

  it('rebuild the lists and the columnist name keys of a database written before them, once', async () => {
    await PostModel.deleteMany({});
    const post = await buildPost({ title: 'From before the lists', authorName: 'Marisol Vance' });
    // As an older version left it: no listings, no name key, no record of either migration.
    await PostListingModel.deleteMany({});
    await PostModel.updateOne({ _id: post._id }, { $set: { authorNameKey: '' } });
    await MigrationModel.deleteMany({});

    const messages: string[] = [];
    expect(await runMigrations((m) => messages.push(m))).toEqual([
      '2026-11-post-author-name-keys',
      '2026-11-post-listings',
      '2026-11-name-keys-every-script',
      '2026-11-search-document-count',
      '2026-11-search-filter-terms',
    ]);
    expect(messages.some((m) => m.includes('running'))).toBe(true);
    expect(await runMigrations()).toEqual([]);

    const home = cheerio.load((await request(app).get('/').expect(200)).text);
    expect(home('.post-summary__title').text()).toBe('From before the lists');
    // The columnist's name is protected again: a guest may not comment as "marisol vance".
    const res = await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'marisol  VANCE', body: 'Pretending.', parent: '' })
      .expect(400);
    expect(cheerio.load(res.text)('#error-name').text()).toContain(
      'belongs to a registered commenter or to staff',
    );
  });
});
