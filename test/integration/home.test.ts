import * as cheerio from 'cheerio';
import request from 'supertest';
import { PostModel } from '../../models/post';
import { buildPost, postComment } from '../fixtures/factories';
import { buildTestApp } from '../setup/app';

describe('home page', () => {
  const { app, services } = buildTestApp({ POSTS_PER_PAGE: '2' });

  beforeEach(async () => {
    await PostModel.deleteMany({});
  });

  it('shows an empty state when nothing is published', async () => {
    const res = await request(app).get('/').expect(200);
    const $ = cheerio.load(res.text);
    expect($('main h2').text()).toBe('No advice published yet');
    expect($('.post-summary')).toHaveLength(0);
  });

  it('lists published posts newest first with their comment counts, and pages', async () => {
    const older = await buildPost({ title: 'Older question', publishedAt: new Date('2026-01-01') });
    await buildPost({ title: 'Newest question', publishedAt: new Date('2026-03-01') });
    await buildPost({ title: 'Middle question', publishedAt: new Date('2026-02-01') });
    await buildPost({ title: 'A draft', status: 'draft', publishedAt: null });
    await postComment(services, older);
    await postComment(services, older);

    const first = cheerio.load((await request(app).get('/').expect(200)).text);
    expect(
      first('.post-summary__title')
        .map((_, el) => first(el).text())
        .get(),
    ).toEqual(['Newest question', 'Middle question']);
    expect(first('a[rel=next]').attr('href')).toBe('/?page=2');

    const second = cheerio.load((await request(app).get('/?page=2').expect(200)).text);
    expect(second('.post-summary__title').text()).toBe('Older question');
    expect(second('.post-summary__comments a').text()).toBe('{ 2 comments… read them below }');
    expect(second('.post-summary__comments a').attr('href')).toBe(`/posts/${older.slug}#comments`);
  });

  it('answers a bad page number with a 400 page', async () => {
    const res = await request(app).get('/?page=zero').expect(400);
    expect(cheerio.load(res.text)('h1').text()).toBe('We could not do that');
  });
});
