import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildTestApp, guestForm } from '../../setup/app';

describe('thread paging and permalinks', () => {
  const { app, services } = buildTestApp({ COMMENTS_PER_PAGE: '3' });
  let post: Awaited<ReturnType<typeof buildPost>>;
  const ids: string[] = [];

  beforeAll(async () => {
    post = await buildPost();
    // Seven top-level comments; #2 gets two replies. Pages of 3 roots: [1,2,3] [4,5,6] [7].
    for (let i = 1; i <= 7; i += 1)
      ids.push(String((await postComment(services, post, { name: `Root ${i}` }))._id));
    ids.push(String((await postComment(services, post, { name: 'Reply to 2', parent: ids[1] }))._id));
    ids.push(String((await postComment(services, post, { name: 'Reply to 6', parent: ids[5] }))._id));
  });

  function authors($: cheerio.CheerioAPI): string[] {
    return $('li.comment > article .comment__author')
      .map((_, el) => $(el).text())
      .get();
  }

  it('pages by top-level comments, each with all its replies', async () => {
    const one = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect(authors(one)).toEqual(['Root 1', 'Root 2', 'Reply to 2', 'Root 3']);
    expect(one('#comments-title').text()).toBe('9 comments');
    expect(one('.pagination a[rel=next]').first().attr('href')).toBe(`/posts/${post.slug}?page=2#comments`);
    const two = cheerio.load((await request(app).get(`/posts/${post.slug}?page=2`).expect(200)).text);
    expect(authors(two)).toEqual(['Root 4', 'Root 5', 'Root 6', 'Reply to 6']);
    expect(two('.pagination__status').first().text()).toBe('Page 2 of 3');
    await request(app).get(`/posts/${post.slug}?page=9`).expect(404);
    await request(app).get(`/posts/${post.slug}?page=-1`).expect(400);
  });

  it('orders newest first on request, replies still under their parents', async () => {
    const $ = cheerio.load((await request(app).get(`/posts/${post.slug}?order=newest`).expect(200)).text);
    expect(authors($)).toEqual(['Root 7', 'Root 6', 'Reply to 6', 'Root 5']);
    expect($('.comments__order a[aria-current]').text()).toBe('newest first');
  });

  it('sends a permalink to the page that shows the comment', async () => {
    const res = await request(app).get(`/posts/${post.slug}/comments/${ids[8]}`).expect(302);
    expect(res.headers.location).toBe(`/posts/${post.slug}?page=2#comment-${ids[8]}`);
    const first = await request(app).get(`/posts/${post.slug}/comments/${ids[0]}`).expect(302);
    expect(first.headers.location).toBe(`/posts/${post.slug}#comment-${ids[0]}`);
    const newest = await request(app).get(`/posts/${post.slug}/comments/${ids[0]}?order=newest`).expect(302);
    expect(newest.headers.location).toBe(`/posts/${post.slug}?page=3&order=newest#comment-${ids[0]}`);
    const landed = cheerio.load((await request(app).get(`/posts/${post.slug}?page=2`)).text);
    expect(landed(`#comment-${ids[8]}`)).toHaveLength(1);
    await request(app).get(`/posts/${post.slug}/comments/ffffffffffffffffffffffff`).expect(404);
    await request(app).get(`/posts/${post.slug}/comments/not-an-id`).expect(404);
  });

  it('redirects a reply posted from a later page back to that page', async () => {
    const res = await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Late reply', body: 'to root 7', parent: ids[6] })
      .expect(303);
    expect(res.headers.location).toMatch(new RegExp(`^/posts/${post.slug}\\?page=3#comment-[a-f0-9]{24}$`));
  });

  it('pages the API tree the same way', async () => {
    const res = await request(app).get(`/api/posts/${post.slug}/comments?page=2`).expect(200);
    expect(res.body.paging).toMatchObject({ page: 2, totalPages: 3, perPage: 3 });
    expect(res.body.comments.map((c: { authorName: string }) => c.authorName)).toEqual([
      'Root 4',
      'Root 5',
      'Root 6',
    ]);
    expect(res.body.comments[2].children[0].authorName).toBe('Reply to 6');
  });
});
