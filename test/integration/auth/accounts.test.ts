import * as cheerio from 'cheerio';
import request from 'supertest';
import { PostModel } from '../../../models/post';
import { UserModel } from '../../../models/user';
import { buildTestApp, guestForm } from '../../setup/app';
import { buildUser, csrfFrom, PASSWORD, signIn } from '../../fixtures/users';

function sid(res: request.Response): string | undefined {
  const cookies = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('sid='))?.split(';')[0];
}

describe('accounts', () => {
  const { app, services } = buildTestApp();

  it('registers, signs in with a new session id, and signs out with another', async () => {
    const agent = request.agent(app);
    const form = await agent.get('/register').expect(200);
    const before = sid(form);
    expect(before).toBeDefined();
    const cookie = (form.headers['set-cookie'] as unknown as string[])[0];
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    const registered = await agent
      .post('/register')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        username: 'Juniper Ray',
        email: 'JR@example.com',
        password: PASSWORD,
        role: 'admin',
      })
      .expect(303);
    const during = sid(registered);
    expect(during).toBeDefined();
    expect(during).not.toBe(before);
    const saved = await UserModel.findOne({ usernameLower: 'juniper ray' }).select('+email').lean();
    expect(saved).toMatchObject({ username: 'Juniper Ray', role: 'commenter', email: 'jr@example.com' });

    const home = cheerio.load((await agent.get('/').expect(200)).text);
    expect(home('.site-nav a[href="/account"]').text()).toBe('Juniper Ray');
    const logout = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: home('input[name=_csrf]').val() })
      .expect(303);
    expect(sid(logout)).not.toBe(during);
    const after = cheerio.load((await agent.get('/').expect(200)).text);
    expect(after('.site-nav a[href="/login"]').text()).toBe('Sign in');

    // The old session id is dead.
    const stale = await request(app).get('/').set('Cookie', during!).expect(200);
    expect(cheerio.load(stale.text)('.site-nav a[href="/login"]')).toHaveLength(1);
  });

  it('keeps usernames unique regardless of case and look-alikes', async () => {
    await buildUser(services, 'commenter', 'Casey Stone');
    for (const name of ['casey stone', 'CASEY STONE', 'Casey.Stone', 'Cаsey Stone']) {
      await expect(
        services.users.register({ username: name, password: PASSWORD, email: '' }),
      ).rejects.toMatchObject({
        details: { username: 'That name, or one that looks just like it, is already in use.' },
      });
    }
  });

  it('refuses a wrong password or unknown user with the same message', async () => {
    const user = await buildUser(services);
    for (const username of [user.username, 'nobody-at-all']) {
      const agent = request.agent(app);
      const form = await agent.get('/login');
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), username, password: 'wrong password!' })
        .expect(401);
      expect(cheerio.load(res.text)('.form-errors').text().trim()).toBe('Username or password is incorrect.');
    }
  });

  it('turns NoSQL injection attempts on login into 400 or 401', async () => {
    await buildUser(services, 'admin');
    const agent = request.agent(app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    const json = await agent
      .post('/login')
      .send({ _csrf: csrf, username: { $ne: null }, password: { $ne: null } });
    expect([400, 401]).toContain(json.status);
    const form = await agent.post('/login').type('form').send(`_csrf=${csrf}&username[$ne]=&password[$ne]=`);
    expect([400, 401]).toContain(form.status);
    const query = await agent
      .post('/login?username[$ne]=x&password[$ne]=x')
      .type('form')
      .send({ _csrf: csrf });
    expect([400, 401]).toContain(query.status);
    expect(cheerio.load((await agent.get('/')).text)('.site-nav a[href="/login"]')).toHaveLength(1);
  });

  it('needs the session the login form starts (CSRF on login)', async () => {
    const user = await buildUser(services);
    const res = await request(app)
      .post('/login')
      .type('form')
      .send({ _csrf: guestForm(), username: user.username, password: PASSWORD })
      .expect(403);
    expect(cheerio.load(res.text)('main p').first().text()).toBe(
      'Your session has expired. Reload the page and try again.',
    );
  });

  it('shows a commenter’s comments on their profile', async () => {
    const user = await buildUser(services, 'commenter', 'Profile Pat');
    const { agent, csrf } = await signIn(app, user.username);
    const post = await PostModel.create({
      title: 'Profiles',
      slug: `profiles-${Date.now()}`,
      answerHtml: '<p>a</p>',
      authorName: 'Marisol Vance',
      status: 'published',
      publishedAt: new Date(),
    });
    await agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrf, body: 'My first comment' })
      .expect(303);
    const $ = cheerio.load((await request(app).get('/users/Profile%20Pat').expect(200)).text);
    expect($('h1').text()).toBe('Profile Pat');
    expect($('.profile-comment .comment__body').text().trim()).toBe('My first comment');
    expect($('.profile-comment a').attr('href')).toMatch(
      new RegExp(`^/posts/${post.slug}/comments/[a-f0-9]{24}$`),
    );
    await request(app).get('/users/nobody-here').expect(404);
  });
});
