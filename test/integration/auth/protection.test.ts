import { AuditEntryModel } from '../../../models/audit-entry';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { UserModel } from '../../../models/user';
import { buildPost } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';

describe('CSRF, roles and names', () => {
  const { app, services } = buildTestApp();

  describe('CSRF', () => {
    it('refuses a signed-in form post without the token, or with a wrong one, with a readable 403', async () => {
      const post = await buildPost();
      const user = await buildUser(services);
      const { agent, csrf } = await signIn(app, user.username);
      const missing = await agent
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ body: 'hi' })
        .expect(403);
      expect(cheerio.load(missing.text)('main p').first().text()).toContain('This form has expired');
      await agent
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ body: 'hi', _csrf: 'x'.repeat(43) })
        .expect(403);
      await agent.post('/logout').type('form').send({}).expect(403);
      expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
      await agent
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ body: 'hi', _csrf: csrf })
        .expect(303);
    });

    it('refuses a signed-in API call without the X-CSRF-Token header (JSON 403), accepts it with one', async () => {
      const post = await buildPost();
      const user = await buildUser(services);
      const { agent, csrf } = await signIn(app, user.username);
      const refused = await agent
        .post(`/api/posts/${post.slug}/comments`)
        .send({ body: 'via api' })
        .expect(403);
      expect(refused.body.error.code).toBe('csrf_failed');
      const ok = await agent
        .post(`/api/posts/${post.slug}/comments`)
        .set('X-CSRF-Token', csrf)
        .send({ body: 'via api' })
        .expect(201);
      expect(ok.body.comment.authorName).toBe(user.username);
    });
  });

  describe('roles', () => {
    it('gives a commenter 403 on every editor and admin route', async () => {
      const commenter = await buildUser(services);
      const target = await buildUser(services);
      const post = await buildPost();
      const { agent, csrf } = await signIn(app, commenter.username);
      const routes: [string, string][] = [
        ['get', '/editor'],
        ['get', '/editor/posts/new'],
        ['post', '/editor/posts'],
        ['get', `/editor/posts/${post._id}/edit`],
        ['post', `/editor/posts/${post._id}`],
        ['get', '/admin/users'],
        ['post', `/admin/users/${target.id}/role`],
      ];
      for (const [method, url] of routes) {
        const res = await (method === 'get'
          ? agent.get(url)
          : agent.post(url).type('form').send({ _csrf: csrf, role: 'admin' }));
        expect([url, res.status]).toEqual([url, 403]);
      }
      expect((await UserModel.findById(target.id).lean())?.role).toBe('commenter');
    });

    it('lists accounts a page at a time, staff first, and finds one by name', async () => {
      const admin = await buildUser(services, 'admin');
      const moderator = await buildUser(services, 'moderator');
      const many = [];
      for (let i = 0; i < 55; i += 1) many.push(await buildUser(services));
      const { agent } = await signIn(app, admin.username);
      const first = cheerio.load((await agent.get('/admin/users').expect(200)).text);
      const staffNames = first('[aria-label="Staff accounts"] tbody tr td:first-child')
        .map((_, td) => first(td).text())
        .get();
      expect(staffNames).toEqual(expect.arrayContaining([admin.username, moderator.username]));
      const pageOne = first('[aria-label="Accounts"] tbody tr');
      expect(pageOne).toHaveLength(50);
      expect(pageOne.first().find('td').first().text()).toBe(many.at(-1)!.username);
      const next = first('a[rel=next]').attr('href')!;
      expect(next).toMatch(/^\/admin\/users\?before=[a-f0-9]{24}$/);
      const second = cheerio.load((await agent.get(next).expect(200)).text);
      expect(second('[aria-label="Staff accounts"]')).toHaveLength(0);
      expect(second('[aria-label="Accounts"] tbody tr').first().find('td').first().text()).toBe(
        many[4].username,
      );

      // By name, however it is typed (case, spacing, look-alikes).
      const found = cheerio.load(
        (
          await agent
            .get(`/admin/users?name=${encodeURIComponent(` ${many[3].username.toUpperCase()} `)}`)
            .expect(200)
        ).text,
      );
      expect(found('[aria-label="Accounts found"] tbody tr td:first-child').text()).toBe(many[3].username);
      const none = cheerio.load((await agent.get('/admin/users?name=nobody-has-this-name').expect(200)).text);
      expect(none('main').text()).toContain('No account has that name');
    });

    it('lets an admin change roles, but not drop their own', async () => {
      const admin = await buildUser(services, 'admin');
      const target = await buildUser(services);
      const { agent, csrf } = await signIn(app, admin.username);
      await agent.get('/admin/users').expect(200);
      await agent
        .post(`/admin/users/${target.id}/role`)
        .type('form')
        .send({ _csrf: csrf, role: 'moderator' })
        .expect(303);
      expect((await UserModel.findById(target.id).lean())?.role).toBe('moderator');
      const saved = cheerio.load(
        (
          await agent.get(
            `/admin/users?saved=${encodeURIComponent(`${target.username} is now a moderator.`)}`,
          )
        ).text,
      );
      expect(saved('.notice').text()).toBe(`${target.username} is now a moderator.`);
      // Who gave whom which powers is in the audit log, with the change.
      const entry = await AuditEntryModel.findOne({ action: 'user.role', targetId: target.id }).lean();
      expect(entry).toMatchObject({
        actorName: admin.username,
        targetLabel: target.username,
        changes: [{ field: 'Role', before: 'commenter', after: 'moderator' }],
      });
      const audit = cheerio.load((await agent.get('/admin/audit?action=user.role').expect(200)).text);
      expect(audit('main').text()).toContain(target.username);
      await agent
        .post(`/admin/users/${target.id}/role`)
        .type('form')
        .send({ _csrf: csrf, role: 'emperor' })
        .expect(400);
      const selfDemoted = await agent
        .post(`/admin/users/${admin.id}/role`)
        .type('form')
        .send({ _csrf: csrf, role: 'commenter' })
        .expect(400);
      // The list again, with why, not an error page.
      expect(cheerio.load(selfDemoted.text)('.form-errors').text()).toContain(
        'You cannot remove your own admin role.',
      );
      expect(cheerio.load(selfDemoted.text)('h1').text()).toBe('Users');
      expect((await UserModel.findById(admin.id).lean())?.role).toBe('admin');
    });
  });

  describe('commenter identity', () => {
    it.each([
      ['Registered Rita'],
      ['registered rita'],
      ['Registered  Rita*'],
      ['Registered.Rita.'],
      ['Rеgistered Rita'],
      ['RegisteredRita'],
    ])('refuses a guest commenting as %j', async (name) => {
      if (!(await UserModel.exists({ usernameLower: 'registered rita' })))
        await buildUser(services, 'commenter', 'Registered Rita');
      const post = await buildPost();
      const res = await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: guestForm(), name, body: 'It is me!' })
        .expect(400);
      expect(cheerio.load(res.text)('#error-name').text()).toContain(
        'belongs to a registered commenter or to staff',
      );
      expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
    });

    it('refuses a guest using the columnist’s byline, even with a Cyrillic look-alike', async () => {
      const post = await buildPost({ authorName: 'Marisol Vance' }, services);
      for (const name of ['Marisol Vance', 'marisol vance.', 'Mаrisol Vаnce']) {
        await request(app)
          .post(`/posts/${post.slug}/comments`)
          .type('form')
          .send({ _csrf: guestForm(), name, body: 'As the columnist…' })
          .expect(400);
      }
      await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: guestForm(), name: 'Marisol Fan', body: 'Hi' })
        .expect(303);
    });

    it('gives the columnist badge only to a real editor account', async () => {
      const post = await buildPost();
      const editor = await buildUser(services, 'editor');
      const { agent, csrf } = await signIn(app, editor.username);
      await agent
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: csrf, body: 'From me', name: 'ignored' })
        .expect(303);
      await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: guestForm(), name: 'Columnist', body: 'Trust me', authorKind: 'columnist' })
        .expect(303);
      const $ = cheerio.load((await request(app).get(`/posts/${post.slug}`)).text);
      const badged = $('.badge--columnist').closest('article').find('.comment__author');
      expect(badged.map((_, el) => $(el).text()).get()).toEqual([editor.username]);
    });

    it('lets guests comment unless the site turns it off', async () => {
      const { app: membersOnly } = buildTestApp({ ALLOW_GUEST_COMMENTS: 'false' });
      const post = await buildPost();
      const page = cheerio.load((await request(membersOnly).get(`/posts/${post.slug}`)).text);
      expect(page('form[data-comment-form]')).toHaveLength(0);
      expect(page('.comments-signin a[href^="/login"]').text()).toBe('Sign in');
      const res = await request(membersOnly)
        .post(`/api/posts/${post.slug}/comments`)
        .send({ _csrf: guestForm(), name: 'Guest', body: 'hi' })
        .expect(403);
      expect(res.body.error.code).toBe('guests_not_allowed');
    });
  });
});
