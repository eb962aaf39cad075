import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('a signed-in reader’s page: the thread’s shared parts around what is theirs', () => {
  const { app, services } = buildTestApp();

  it('shows their own comment’s Edit and Delete and their pressed likes, others’ comments as everyone sees them, in one valid gzip stream', async () => {
    const post = await buildPost();
    const others = [];
    for (let i = 1; i <= 4; i += 1)
      others.push(await postComment(services, post, { name: `Reader ${i}`, body: `Comment ${i}.` }));
    const nora = await buildUser(services);
    const { agent, csrf } = await signIn(app, nora.username);
    await agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrf, body: 'Nora’s own.', parent: String(others[0]._id) })
      .expect(303);
    await services.likes.set(String(others[2]._id), { user: nora, ip: '10.0.0.9' }, true);

    // Decoded by Node's zlib, which checks the stream's checksum and length.
    const gz = await agent.get(`/posts/${post.slug}`).set('Accept-Encoding', 'gzip').expect(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    const html = gz.text;
    const plain = await agent.get(`/posts/${post.slug}`).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    // The same page but what changes with every request: the form's one-time id, the last visit.
    const strip = (page: string) =>
      page.replace(/name="_submission" value="[^"]+"/, '').replace(/ data-last-visit="[^"]+"/, '');
    expect(strip(plain.text)).toBe(strip(html));

    const $ = cheerio.load(html);
    expect($('.site-nav').text()).toContain(nora.username);
    const own = $('.comment').filter(
      (_, li) => $(li).find('> article .comment__author').first().text() === nora.username,
    );
    expect(own.find('> article .comment__edit').attr('href')).toMatch(/\/comments\/\w+\/edit$/);
    expect(own.find('> article .like-button')).toHaveLength(0);
    // Nobody reports their own comment (they edit or delete it); everyone else's can be reported.
    expect(own.find('> article .comment__report')).toHaveLength(0);
    expect($(`#comment-${others[1]._id} > article .comment__report`)).toHaveLength(1);
    expect($(`#comment-${others[2]._id} > article .like-button`).attr('aria-pressed')).toBe('true');
    expect($(`#comment-${others[1]._id} > article .like-button`).attr('aria-pressed')).toBe('false');
    expect($(`#comment-${others[1]._id} .comment__edit`)).toHaveLength(0);
    expect($('[data-thread-root] > li.comment')).toHaveLength(4);
    expect(html).not.toContain('<!--page-parts-->');

    // A reader without a session gets the shared page, with nothing of Nora's.
    const anon = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect(anon('.comment__edit')).toHaveLength(0);
    expect(anon('.comment__report')).toHaveLength(anon('.comment').length);
    expect(anon('.like-button[aria-pressed="true"]')).toHaveLength(0);
    expect(anon('[data-thread-root] > li.comment')).toHaveLength(4);

    await agent.head(`/posts/${post.slug}`).set('Accept-Encoding', 'gzip').expect(200);
  });
});
