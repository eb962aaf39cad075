import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildTestApp } from '../../setup/app';

describe('every page leads back where the reader was', () => {
  const { app, services } = buildTestApp();

  it("Report leads back to the comment's own page of the thread, not page 1", async () => {
    const post = await buildPost();
    const comment = await postComment(services, post, { name: 'Rae', body: 'Hm.' });
    const $ = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    const permalink = `/posts/${post.slug}/comments/${comment._id}`;
    expect($(`#comment-${comment._id} .comment__report`).attr('href')).toBe(
      `/comments/${comment._id}/report?back=${permalink}`,
    );
  });

  it('a used or expired reset link says so and offers a new one', async () => {
    const res = await request(app).get(`/reset/000000000000000000000000.1.bad`).expect(404);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('This link has expired');
    expect($('a[href="/forgot"]').text()).toBe('Ask for a new link');
  });
});
