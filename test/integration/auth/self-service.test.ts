import * as cheerio from 'cheerio';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { UserModel } from '../../../models/user';
import { buildPost, postComment } from '../../fixtures/factories';
import { PASSWORD, csrfFrom, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

const NEW_PASSWORD = 'a brand new passphrase';

/** The last mail to an address once the queue has sent what is due, and the site links in it. */
async function lastMailTo(services: ReturnType<typeof buildTestApp>['services'], to: string) {
  await services.mailQueue.runDue();
  const mail = [...services.mailer.captured].reverse().find((m) => m.to === to);
  const links = [...(mail?.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => new URL(m[0]).pathname);
  return { mail, links };
}

describe('account self-service: forgotten password, password and email changes, data, deletion', () => {
  const { app, services } = buildTestApp();

  async function account(name: string, email: string) {
    return services.users.register({ username: name, password: PASSWORD, email });
  }

  it('resets a forgotten password by a mailed link that works once, and signs out every other session', async () => {
    await account('Reset Rhea', 'rhea@example.com');
    const elsewhere = await signIn(app, 'Reset Rhea');
    await elsewhere.agent.get('/account').expect(200);

    const browser = request.agent(app);
    const form = await browser.get('/forgot').expect(200);
    const sent = await browser
      .post('/forgot')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email: 'Rhea@Example.com' })
      .expect(200);
    // The same answer for an address with no account, and no mail for it.
    const unknown = await browser
      .post('/forgot')
      .type('form')
      .send({ _csrf: csrfFrom(sent.text), email: 'nobody@example.com' })
      .expect(200);
    const text = (html: string) =>
      cheerio
        .load(html)('.notice')
        .text()
        .replace(/\S+@\S+/, 'ADDRESS');
    expect(text(unknown.text)).toBe(text(sent.text));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the mail goes out after the answer
    expect((await lastMailTo(services, 'nobody@example.com')).mail).toBeUndefined();

    const { mail, links } = await lastMailTo(services, 'rhea@example.com');
    expect(mail?.subject).toMatch(/Reset your password/);
    expect(mail?.raw).toMatch(/Content-Type: text\/plain/i);
    const [resetPath] = links;
    expect(resetPath).toMatch(/^\/reset\//);
    const page = await browser.get(resetPath).expect(200);
    expect(cheerio.load(page.text)('h1').text()).toBe('Set a new password');

    // Too short: the form again, the error tied to its field.
    const weak = await browser
      .post(resetPath)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: 'short' })
      .expect(400);
    expect(cheerio.load(weak.text)('#field-password').attr('aria-describedby')).toBe('error-password');

    const done = await browser
      .post(resetPath)
      .type('form')
      .send({ _csrf: csrfFrom(weak.text), password: NEW_PASSWORD })
      .expect(303);
    expect(done.headers.location).toBe('/account?reset=1');
    await browser.get('/account').expect(200);

    // The link is spent, the other session is over, the new password works and the old one not.
    const spent = await request(app).get(resetPath).expect(404);
    expect(cheerio.load(spent.text)('main').text()).toContain('This one has been used, or is too old.');
    const other = await elsewhere.agent.get('/account').expect(303);
    expect(other.headers.location).toMatch(/^\/login/);
    await signIn(app, 'Reset Rhea', NEW_PASSWORD);
    const login = await request.agent(app).get('/login');
    await request(app)
      .post('/login')
      .set('Cookie', login.headers['set-cookie'])
      .type('form')
      .send({ _csrf: csrfFrom(login.text), username: 'Reset Rhea', password: PASSWORD })
      .expect(401);
  });

  it('refuses a reset link that was tampered with or has expired', async () => {
    await request(app).get('/reset/not-a-token').expect(404);
    const user = await account('Tamper Tom', 'tom@example.com');
    const past = `${user.id}.${Date.now() - 1000}.x`;
    await request(app).get(`/reset/${past}`).expect(404);
  });

  it('changes the password given the current one, keeping this session and ending the others', async () => {
    await account('Change Cleo', '');
    const here = await signIn(app, 'Change Cleo');
    const there = await signIn(app, 'Change Cleo');
    const page = await here.agent.get('/account').expect(200);
    const wrong = await here.agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), current: 'not it at all', password: NEW_PASSWORD })
      .expect(400);
    expect(cheerio.load(wrong.text)('#error-current').text()).toBe('That is not your current password.');
    const changed = await here.agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: csrfFrom(wrong.text), current: PASSWORD, password: NEW_PASSWORD })
      .expect(303);
    const after = await here.agent.get(changed.headers.location).expect(200);
    expect(cheerio.load(after.text)('.notice').text()).toContain('Your password is changed');
    await there.agent.get('/account').expect(303);
  });

  it('changes the email address only once the new address confirms it', async () => {
    await account('Email Ezra', 'old@example.com');
    const { agent } = await signIn(app, 'Email Ezra');
    const page = await agent.get('/account').expect(200);
    const bad = await agent
      .post('/account/email')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'not an address', password: PASSWORD })
      .expect(400);
    expect(cheerio.load(bad.text)('#error-email').text()).toBe('That does not look like an email address.');
    const wrong = await agent
      .post('/account/email')
      .type('form')
      .send({ _csrf: csrfFrom(bad.text), email: 'new@example.com', password: 'not my password' })
      .expect(400);
    expect(cheerio.load(wrong.text)('#error-emailPassword').text()).toBe('That is not your password.');
    await agent
      .post('/account/email')
      .type('form')
      .send({ _csrf: csrfFrom(wrong.text), email: 'new@example.com', password: PASSWORD })
      .expect(303);
    // The old address hears of it.
    expect((await lastMailTo(services, 'old@example.com')).mail?.subject).toMatch(/is being changed/);
    const stored = () => UserModel.findOne({ username: 'Email Ezra' }).select('+email').lean();
    expect((await stored())?.email).toBe('old@example.com');
    const [confirm] = (await lastMailTo(services, 'new@example.com')).links;
    // The link asks first: opening it changes nothing (a mail scanner's fetch included).
    const asking = await agent.get(confirm).expect(200);
    expect(cheerio.load(asking.text)('main button[type=submit]').text()).toBe('Confirm new@example.com');
    expect((await stored())?.email).toBe('old@example.com');
    await agent
      .post(confirm)
      .type('form')
      .send({ _csrf: csrfFrom(asking.text) })
      .expect(303);
    expect((await stored())?.email).toBe('new@example.com');
    await agent.get(confirm).expect(404); // once
  });

  it('changes the display name with the same protection as registration, on old comments too', async () => {
    const post = await buildPost({ authorName: 'Byline Bo' }, services);
    await account('Taken Tara', '');
    const mover = await account('Old Name', '');
    await postComment(services, post, { body: 'Signed with my old name.' }, { user: mover });
    const { agent } = await signIn(app, 'Old Name');
    let page = await agent.get('/account').expect(200);
    for (const [name, error] of [
      ['Taken Tara', 'That name, or one that looks just like it, is already in use.'],
      ['taken-tara', 'That name, or one that looks just like it, is already in use.'],
      ['Byline Bo', 'That name, or one that looks just like it, is already in use.'],
      ['x', 'Use 3 to 30 letters, numbers, spaces, dots, dashes or underscores.'],
    ]) {
      const refused = await agent
        .post('/account/name')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), username: name })
        .expect(400);
      expect(cheerio.load(refused.text)('#error-username').text()).toBe(error);
      page = refused;
    }
    await agent
      .post('/account/name')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'New Name' })
      .expect(303);
    const thread = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect(thread('.comment__author').text()).toContain('New Name');
    expect(thread('.comment__author').text()).not.toContain('Old Name');
    const home = cheerio.load((await agent.get('/').expect(200)).text);
    expect(home('.site-nav a[href="/account"]').text()).toBe('New Name');
    // A new spelling of one's own name is fine.
    page = await agent.get('/account').expect(200);
    await agent
      .post('/account/name')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'new  NAME' })
      .expect(303);
  });

  it('downloads the account and its comments as JSON, then deletes the account keeping or removing its comments', async () => {
    const post = await buildPost();
    const keeper = await account('Keeper Kai', 'kai@example.com');
    const remover = await account('Remover Rue', '');
    await postComment(services, post, { body: 'Kept words.' }, { user: keeper });
    await postComment(services, post, { body: 'Words to remove.' }, { user: remover });

    const kai = await signIn(app, 'Keeper Kai');
    const data = await kai.agent.get('/account/data.json').expect(200);
    expect(data.headers['content-disposition']).toContain('attachment');
    expect(JSON.parse(data.text)).toMatchObject({
      account: { username: 'Keeper Kai', email: 'kai@example.com' },
      comments: [{ body: 'Kept words.', number: 1, status: 'visible' }],
    });

    const page = await kai.agent.get('/account').expect(200);
    const wrong = await kai.agent
      .post('/account/delete')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), comments: 'keep', password: 'wrong password here' })
      .expect(400);
    expect(cheerio.load(wrong.text)('#error-deletePassword').text()).toBe('That is not your password.');
    await kai.agent
      .post('/account/delete')
      .type('form')
      .send({ _csrf: csrfFrom(wrong.text), comments: 'keep', password: PASSWORD })
      .expect(303);
    const rue = await signIn(app, 'Remover Rue');
    const rueForm = await rue.agent.get('/account').expect(200);
    await rue.agent
      .post('/account/delete')
      .type('form')
      .send({ _csrf: csrfFrom(rueForm.text), comments: 'remove', password: PASSWORD })
      .expect(303);

    expect(await UserModel.countDocuments({ username: 'Keeper Kai' })).toBe(0);
    expect(await UserModel.countDocuments({ username: 'Remover Rue' })).toBe(0);
    const thread = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    const comments = thread('.comment');
    expect(comments.first().text()).toContain('deleted account');
    expect(comments.first().text()).toContain('Kept words.');
    expect(thread.text()).not.toContain('Words to remove.');
    const stored = await CommentModel.find({ post: post._id }).lean();
    expect(stored.map((c) => [c.authorName, c.authorUser, c.status])).toEqual([
      ['deleted account', null, 'visible'],
      ['deleted account', null, 'deleted'],
    ]);
    await kai.agent.get('/account').expect(303); // signed out
  });
});
