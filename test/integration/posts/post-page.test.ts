import * as cheerio from 'cheerio';
import request from 'supertest';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildTestApp } from '../../setup/app';
import { buildUser } from '../../fixtures/users';

describe('post page', () => {
  const { app, services } = buildTestApp({ COMMENTS_MAX_DEPTH: '3' });

  it('shows the letter under "A reader writes:", the answer, and the nested thread', async () => {
    const post = await buildPost({
      letterHtml: '<p>My manager hums.</p>',
      answerHtml: '<p>Buy <strong>headphones</strong>.</p>',
      authorName: 'Marisol Vance',
    });
    const first = await postComment(services, post, { name: 'Ana', body: 'First!' });
    const reply = await postComment(services, post, {
      name: 'Bo',
      body: 'Reply to Ana',
      parent: String(first._id),
    });
    await postComment(services, post, { name: 'Cy', body: 'Second top-level' });
    const deep = await postComment(services, post, { name: 'Di', body: 'Deeper', parent: String(reply._id) });
    await postComment(services, post, { name: 'Ed', body: 'Too deep', parent: String(deep._id) });
    const columnist = await buildUser(services, 'editor', 'Marisol');
    await postComment(
      services,
      post,
      { body: 'From the columnist', parent: String(first._id) },
      { user: columnist },
    );

    const res = await request(app).get(`/posts/${post.slug}`).expect(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe(post.title);
    expect($('.letter__intro').text()).toBe('A reader writes:');
    expect($('.letter blockquote').text().trim()).toBe('My manager hums.');
    expect($('.answer strong').text()).toBe('headphones');
    expect($('#comments-title').text()).toBe('6 comments');

    const top = $('ol.thread[data-thread-root] > li.comment');
    expect(top.map((_, el) => $(el).find('> article .comment__author').text()).get()).toEqual(['Ana', 'Cy']);
    const anaReplies = top.first().find('> ol.thread--replies > li.comment');
    expect(anaReplies.map((_, el) => $(el).find('> article .comment__author').text()).get()).toEqual([
      'Bo',
      'Marisol',
    ]);
    // Depth cap 3: Di (depth 2) nests under Bo; Ed (depth 3) continues beside Di, "replying to Di".
    const boReplies = anaReplies.first().find('> ol.thread--replies > li.comment');
    expect(boReplies.map((_, el) => $(el).find('> article .comment__author').text()).get()).toEqual([
      'Di',
      'Ed',
    ]);
    expect(boReplies.last().find('.comment__replying-to').text()).toContain('replying to Di (#4)');

    const ana = $(`#comment-${first._id}`);
    expect(ana.find('> article .comment__number').text()).toBe('#1');
    expect(ana.find('> article .comment__time').attr('href')).toBe(
      `/posts/${post.slug}/comments/${first._id}`,
    );
    expect(ana.find('> article time').attr('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(ana.find('> article .comment__reply').attr('href')).toBe(
      `/posts/${post.slug}?replyto=${first._id}#respond`,
    );
    expect($('.badge--columnist')).toHaveLength(1);
    expect($('.badge--columnist').closest('li').find('> article .comment__author').text()).toBe('Marisol');

    expect($('form[data-comment-form]').attr('action')).toBe(`/posts/${post.slug}/comments#respond`);
    expect($('label[for=field-name]').text()).toContain('Name');
    expect($('.comments-closed')).toHaveLength(0);
  });

  it('never shows a commenter’s email', async () => {
    const post = await buildPost();
    await postComment(services, post, { name: 'Private Pat', email: 'pat@example.com' });
    const page = await request(app).get(`/posts/${post.slug}`).expect(200);
    expect(page.text).not.toContain('pat@example.com');
    const api = await request(app).get(`/api/posts/${post.slug}/comments`).expect(200);
    expect(JSON.stringify(api.body)).not.toContain('pat@example.com');
  });

  it('says "Comments are closed." and shows no form on a closed post', async () => {
    const post = await buildPost({ commentStatus: 'closed' });
    const $ = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect($('.comments-closed').text()).toBe('Comments are closed.');
    expect($('form[data-comment-form]')).toHaveLength(0);
    expect($('.comment__reply')).toHaveLength(0);
  });

  it('prepares the reply form without JavaScript (?replyto=) and quotes in one click (&quote=1)', async () => {
    const post = await buildPost();
    const parent = await postComment(services, post, {
      name: 'Quotable Quinn',
      body: 'Be *kind*, but be clear.',
    });
    const $ = cheerio.load(
      (await request(app).get(`/posts/${post.slug}?replyto=${parent._id}&quote=1`).expect(200)).text,
    );
    expect($('#respond-title').text()).toBe('Reply to Quotable Quinn (#1)');
    expect($('input[name=parent]').val()).toBe(String(parent._id));
    expect($('#field-body').text()).toBe('> **Quotable Quinn wrote:**\n> Be kind, but be clear.\n\n');
  });

  it('answers 404 for drafts and unknown slugs', async () => {
    const draft = await buildPost({ status: 'draft' });
    await request(app).get(`/posts/${draft.slug}`).expect(404);
    const res = await request(app).get('/posts/no-such-post').expect(404);
    expect(cheerio.load(res.text)('h1').text()).toBe('Page not found');
  });

  it('lists posts by tag', async () => {
    await buildPost({ title: 'Tagged one', tags: ['raises'] });
    await buildPost({ title: 'Not this one', tags: ['other'] });
    const $ = cheerio.load((await request(app).get('/tags/raises').expect(200)).text);
    expect($('h1').text()).toBe('Tagged “raises”');
    expect(
      $('.post-summary__title')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(['Tagged one']);
    await request(app).get('/tags/nothing-here').expect(404);
  });
});
