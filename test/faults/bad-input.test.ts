/**
 * Faults: input no form would send. Every answer is a readable 4xx (a page for browsers, JSON
 * for the API), never a 500, never a half-written record.
 */
import request from 'supertest';
import { CommentModel } from '../../models/comment';
import { LetterModel } from '../../models/letter';
import { buildPost, postComment } from '../fixtures/factories';
import { buildUser, signIn } from '../fixtures/users';
import { buildTestApp, guestForm } from '../setup/app';

describe('faults: malformed, oversized and mistyped input', () => {
  const { app, services } = buildTestApp();

  it('malformed JSON to the API is a JSON 400', async () => {
    const post = await buildPost();
    const res = await request(app)
      .post(`/api/posts/${post.slug}/comments`)
      .set('content-type', 'application/json')
      .send('{"name": "Broken", "body": ')
      .expect(400);
    expect(res.body.error.code).toBeDefined();
  });

  it('oversized bodies are refused with 413, as a page and as JSON', async () => {
    const post = await buildPost();
    const huge = 'x'.repeat(300 * 1024);
    const page = await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Big', body: huge, parent: '' })
      .expect(413);
    expect(page.text).toContain('<main');
    const api = await request(app)
      .post(`/api/posts/${post.slug}/comments`)
      .send({ name: 'Big', body: 'y'.repeat(80 * 1024) })
      .expect(413);
    expect(api.body.error).toBeDefined();
    expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
  });

  it('form fields sent as arrays or objects, everywhere, are 4xx and write nothing', async () => {
    const post = await buildPost();
    const target = await postComment(services, post, { body: 'Target' });
    const user = await buildUser(services, 'admin');
    const { agent, csrf } = await signIn(app, user.username);
    const token = guestForm();
    const mistyped = [
      `name=a&name=b&body=x&parent=&_csrf=${token}`,
      `name[a]=1&body=x&_csrf=${token}`,
      `name=a&body=x&body=y&_csrf=${token}`,
      `name=a&body=x&parent=1&parent=2&_csrf=${token}`,
      `name=a&body=x&_csrf=${token}&_csrf=${token}`,
    ];
    for (const form of mistyped) {
      const res = await request(app).post(`/posts/${post.slug}/comments`).type('form').send(form);
      expect([400, 403]).toContain(res.status);
    }
    for (const json of [
      { name: ['a'], body: 'x' },
      { name: 'a', body: { $ne: '' } },
      { name: 'a', body: 'x', parent: { $gt: '' } },
    ]) {
      const res = await request(app).post(`/api/posts/${post.slug}/comments`).send(json);
      expect([400, 403]).toContain(res.status);
    }
    const staff = [
      ['/ask', `subject=a&subject=b&body=x&_csrf=${token}`],
      [`/comments/${target._id}/report`, `reason=a&reason=b&_csrf=${token}`],
      [`/moderation/comments/${target._id}/remove`, `reason[x]=1&_csrf=${csrf}`],
      ['/moderation/comments/bulk', `ids[a]=1&action=remove&_csrf=${csrf}`],
      [`/moderation/users/${user.id}/sanction`, `days=1&days=2&_csrf=${csrf}`],
      ['/editor/posts', `title=a&title=b&_csrf=${csrf}`],
    ] as const;
    for (const [url, form] of staff) {
      const res = await agent.post(url).type('form').send(form);
      expect(res.status).toBeLessThan(500);
    }
    expect(await CommentModel.countDocuments({ post: post._id })).toBe(1);
    expect(await LetterModel.countDocuments({})).toBe(0);
  });
});
