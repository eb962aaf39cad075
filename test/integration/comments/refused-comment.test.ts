import * as cheerio from 'cheerio';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { PostModel } from '../../../models/post';
import { buildPost } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

/** A comment refused for who sent it or where: the post page again, the text as typed, and why. */
describe('a comment refused with 403', () => {
  const { app, services } = buildTestApp();
  const body = 'I had this happen too. What helped was a short recap after each meeting, sent to everyone.';

  it('gives a suspended commenter the page back with their text and the reason, not a dead end', async () => {
    const post = await buildPost();
    const moderator = await buildUser(services, 'moderator');
    const tess = await buildUser(services);
    const { agent, csrf } = await signIn(app, tess.username);
    await services.sanctions.sanctionUser(moderator, tess.id, 7, 'Insults');
    const res = await agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrf, body })
      .expect(403);
    const $ = cheerio.load(res.text);
    expect($('#respond .form-errors[role=alert]').text()).toMatch(/suspended/i);
    expect($('.comment-form textarea[name=body]').text()).toBe(body);
    expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
  });

  it('keeps the text of a comment sent after the post was closed, to copy', async () => {
    const post = await buildPost();
    const reader = await buildUser(services);
    const { agent, csrf } = await signIn(app, reader.username);
    await PostModel.updateOne({ _id: post._id }, { $set: { commentStatus: 'closed' } });
    const res = await agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrf, body })
      .expect(403);
    const $ = cheerio.load(res.text);
    expect($('.comments-closed').text()).toBe('Comments are closed.');
    expect($('#respond .form-errors').text()).toBe('Comments are closed on this post.');
    expect($('#field-unsent').text()).toBe(body);
    expect($('label[for=field-unsent]').text()).toBeTruthy();
  });

  it('still answers a script with JSON', async () => {
    const post = await buildPost({ commentStatus: 'closed' });
    const reader = await buildUser(services);
    const { agent, csrf } = await signIn(app, reader.username);
    const res = await agent
      .post(`/posts/${post.slug}/comments`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, body })
      .expect(403);
    expect(res.body).toMatchObject({ error: expect.anything() });
  });

  it('sends the address a refused comment’s page shows, reloaded or shared, to the post at its form', async () => {
    const post = await buildPost();
    const res = await request(app).get(`/posts/${post.slug}/comments`).expect(302);
    expect(res.headers.location).toBe(`/posts/${post.slug}#respond`);
  });
});
