import request from 'supertest';
import { Types } from 'mongoose';
import { CommentModel } from '../../../models/comment';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';

describe('moderation access', () => {
  const { app, services } = buildTestApp();

  it('gives commenters and editors 403 on every moderation route, and visitors the login page', async () => {
    const post = await buildPost();
    const comment = await postComment(services, post);
    const user = await buildUser(services);
    const id = String(comment._id);
    const routes: [string, string][] = [
      ['get', '/moderation'],
      ['get', '/moderation?queue=reported'],
      ['get', '/moderation/sanctions'],
      ['post', '/moderation/comments/bulk'],
      ...['approve', 'reject', 'remove', 'restore', 'lock', 'unlock'].map((a): [string, string] => [
        'post',
        `/moderation/comments/${id}/${a}`,
      ]),
      ['post', `/moderation/comments/${id}/ban-email`],
      ['post', `/moderation/comments/${id}/block-ip`],
      ['post', `/moderation/posts/${post._id}/close`],
      ['post', `/moderation/posts/${post._id}/reopen`],
      ['post', `/moderation/users/${user.id}/sanction`],
      ['post', `/moderation/sanctions/${new Types.ObjectId()}/lift`],
      ['get', '/admin/audit'],
    ];
    for (const role of ['commenter', 'editor'] as const) {
      const someone = await buildUser(services, role);
      const { agent, csrf } = await signIn(app, someone.username);
      for (const [method, url] of routes) {
        const res =
          method === 'get'
            ? await agent.get(url)
            : await agent.post(url).type('form').send({ _csrf: csrf, action: 'remove', ids: id, days: '1' });
        expect([role, url, res.status]).toEqual([role, url, 403]);
      }
    }
    for (const [method, url] of routes) {
      const res =
        method === 'get'
          ? await request(app).get(url)
          : await request(app).post(url).type('form').send({ _csrf: guestForm() });
      expect([url, res.status]).toEqual([url, method === 'get' ? 303 : 401]);
    }
    expect((await CommentModel.findById(comment._id).lean())?.status).toBe('visible');
  });
});
