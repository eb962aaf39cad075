import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as cheerio from 'cheerio';
import mongoose from 'mongoose';
import request from 'supertest';
import { AuditEntryModel } from '../../../models/audit-entry';
import { SettingsRevisionModel } from '../../../models/settings-revision';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';
import { startServerProcess } from '../../setup/server-process';
import { settingsFormOf } from '../../fixtures/settings-form';

describe('settings page: rules changed without a restart', () => {
  jest.setTimeout(90000);
  const test = buildTestApp({ SITE_TITLE: 'Env Title', BANNED_WORDS: 'spamword' });
  const { app, services, config } = test;
  const processes: ChildProcess[] = [];
  afterAll(() => processes.forEach((child) => child.kill('SIGTERM')));

  it('is for admins only', async () => {
    const moderator = await buildUser(services, 'moderator');
    const { agent } = await signIn(app, moderator.username);
    await agent.get('/admin/settings').expect(403);
    await request(app).get('/admin/settings').expect(303);
  });

  it('refuses bad values with an error tied to each field, and saves nothing', async () => {
    const admin = await buildUser(services, 'admin');
    const { agent } = await signIn(app, admin.username);
    const page = await agent.get('/admin/settings').expect(200);
    const form = settingsFormOf(page.text);
    expect(form.siteTitle).toBe('Env Title');
    expect(form.bannedWords).toBe('spamword');
    const refused = await agent
      .post('/admin/settings')
      .type('form')
      .send({ ...form, siteTitle: '   ', commentsPerPage: 'lots', spamHoldScore: '101' })
      .expect(400);
    const $ = cheerio.load(refused.text);
    expect($('#form-errors p').text()).toBe('3 settings need fixing; nothing was saved.');
    expect($('#error-commentsPerPage').text()).toBe('Must be a whole number, got "lots".');
    expect($('#error-spamHoldScore').text()).toBe('Must be between 0 and 100, got 101.');
    expect($('#error-siteTitle').text()).toBe('This cannot be empty.');
    expect($('#setting-commentsPerPage').attr('aria-invalid')).toBe('true');
    expect($('#setting-commentsPerPage').attr('aria-describedby')).toContain('error-commentsPerPage');
    // What was typed stays in the form.
    expect($('#setting-commentsPerPage').val()).toBe('lots');
    expect(await SettingsRevisionModel.countDocuments()).toBe(0);
    expect(config.siteTitle).toBe('Env Title');
  });

  it('applies a save at once: title, guests, words, paging; the audit log keeps before and after', async () => {
    const post = await buildPost();
    await request(app).get('/').expect(200); // cached for readers without a session
    const admin = await buildUser(services, 'admin');
    const { agent } = await signIn(app, admin.username);
    const form = settingsFormOf((await agent.get('/admin/settings').expect(200)).text);
    await agent
      .post('/admin/settings')
      .type('form')
      .send({
        ...form,
        siteTitle: 'The Workplace Desk',
        bannedWords: 'spamword\nfree money',
        allowGuestComments: '',
        commentsPerPage: '20',
      })
      .expect(303)
      .expect('Location', '/admin/settings?saved=1');

    const home = await request(app).get('/').expect(200);
    expect(cheerio.load(home.text)('.site-title').text()).toBe('The Workplace Desk');
    const guest = await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Guest', body: 'Hello' })
      .expect(403);
    // The page again: why, and the text as typed, to copy (no form for guests to put it back in).
    const guestPage = cheerio.load(guest.text);
    expect(guestPage('#respond .form-errors p').text()).toBe('Sign in to comment on this site.');
    expect(guestPage('#field-unsent').text()).toBe('Hello');
    const member = await buildUser(services);
    const signedIn = await signIn(app, member.username);
    const refused = await signedIn.agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: signedIn.csrf, body: 'Get FREE   money now' })
      .expect(400);
    expect(refused.text).toContain('free money');
    expect(config.commentsPerPage).toBe(20);

    const [entry] = await AuditEntryModel.find({ action: 'settings.update' }).lean();
    expect(entry.actorName).toBe(admin.username);
    expect(entry.changes).toEqual([
      { field: 'Site title', before: 'Env Title', after: 'The Workplace Desk' },
      { field: 'Guests may comment', before: 'yes', after: 'no' },
      { field: 'Comments per page', before: '50', after: '20' },
      { field: 'Banned words', before: 'spamword', after: 'spamword, free money' },
    ]);
    const log = cheerio.load((await agent.get('/admin/audit?action=settings.update').expect(200)).text);
    expect(log('.audit-changes li').first().text()).toBe('Site title: Env Title → The Workplace Desk');
    const csv = await agent.get('/admin/audit.csv?action=settings.update').expect(200);
    expect(csv.text).toContain('Site title: Env Title → The Workplace Desk; Guests may comment: yes → no');
  });

  it('shows times on the site’s clocks, moving them at once when an admin changes the time zone', async () => {
    const post = await buildPost();
    // By an account: an earlier test here stopped guests commenting.
    const owl = await buildUser(services);
    const comment = await postComment(services, post, { body: 'Posted late.' }, { user: owl });
    const at = new Date(comment.createdAt);
    /** "December 7, 2026 at 11:54 pm" on the clocks of `timeZone`, as Intl writes it. */
    const on = (timeZone: string) => {
      const part = (options: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat('en-US', { timeZone, ...options }).format(at);
      const time = part({ hour: 'numeric', minute: '2-digit', hour12: true })
        .replace(' AM', ' am')
        .replace(' PM', ' pm');
      return `${part({ month: 'long', day: 'numeric', year: 'numeric' })} at ${time}`;
    };
    const timeOf = async () =>
      cheerio
        .load((await request(app).get(`/posts/${post.slug}`).expect(200)).text)(
          `#comment-${comment._id} .comment__time time`,
        )
        .text();
    expect(await timeOf()).toBe(on('UTC'));
    const admin = await buildUser(services, 'admin');
    const { agent } = await signIn(app, admin.username);
    const form = settingsFormOf((await agent.get('/admin/settings').expect(200)).text);
    try {
      await agent
        .post('/admin/settings')
        .type('form')
        .send({ ...form, siteTimeZone: 'Asia/Kolkata' })
        .expect(303);
      // The cached page and the kept thread are dropped: the same comment, on Kolkata's clocks.
      expect(await timeOf()).toBe(on('Asia/Kolkata'));
      expect(on('Asia/Kolkata')).not.toBe(on('UTC'));
    } finally {
      const again = settingsFormOf((await agent.get('/admin/settings').expect(200)).text);
      await agent
        .post('/admin/settings')
        .type('form')
        .send({ ...again, siteTimeZone: 'UTC' })
        .expect(303);
    }
    expect(await timeOf()).toBe(on('UTC'));
  });

  it('refuses a save made from a form another admin saved over, keeping the other save', async () => {
    const [one, two] = await Promise.all([buildUser(services, 'admin'), buildUser(services, 'admin')]);
    const a = await signIn(app, one.username);
    const b = await signIn(app, two.username);
    const formA = settingsFormOf((await a.agent.get('/admin/settings').expect(200)).text);
    const formB = settingsFormOf((await b.agent.get('/admin/settings').expect(200)).text);
    await a.agent
      .post('/admin/settings')
      .type('form')
      .send({ ...formA, holdLinksOver: '5' })
      .expect(303);
    const late = await b.agent
      .post('/admin/settings')
      .type('form')
      .send({ ...formB, reportsToHide: '9' })
      .expect(409);
    expect(cheerio.load(late.text)('#form-errors p').text()).toContain('Another admin saved the settings');
    expect(config.holdLinksOver).toBe(5);
    expect(config.reportsToHide).toBe(3);
    expect(settingsFormOf(late.text).holdLinksOver).toBe('5');
  });

  it('are read by a process started later, over the environment', async () => {
    const later = buildTestApp({ SITE_TITLE: 'Env Title', HOLD_LINKS_OVER: '1', PORT: '4321' });
    expect(later.config.siteTitle).toBe('Env Title');
    await later.services.settings.refresh();
    expect(later.config.siteTitle).toBe('The Workplace Desk');
    expect(later.config.holdLinksOver).toBe(5);
    expect(later.config.port).toBe(4321); // not a setting of the page: the environment's
  });

  it('reach a second server process over Redis within seconds', async () => {
    const secret = randomBytes(24).toString('hex');
    const uri = `${process.env.TEST_MONGODB_URI!.replace(/\/$/, '')}/${mongoose.connection.db!.databaseName}`;
    // An hour between reads of the database: only the Redis message can tell B in time.
    const env = {
      MONGODB_URI: uri,
      REDIS_URL: 'redis://127.0.0.1:6379',
      SESSION_SECRET: secret,
      SETTINGS_POLL_SECONDS: '3600',
    };
    const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    processes.push(a.child, b.child);
    const titleOn = async (url: string) =>
      cheerio
        .load((await request(url).get('/').expect(200)).text)('.site-title')
        .text();
    expect(await titleOn(b.url)).toBe('The Workplace Desk');

    const admin = await buildUser(services, 'admin');
    const { agent } = await signIn(a.url, admin.username);
    const form = settingsFormOf((await agent.get('/admin/settings').expect(200)).text);
    await agent
      .post('/admin/settings')
      .type('form')
      .send({ ...form, siteTitle: 'Told over Redis' })
      .expect(303);
    const deadline = Date.now() + 5000;
    let seen = '';
    while (Date.now() < deadline && seen !== 'Told over Redis') {
      seen = await titleOn(b.url);
      if (seen !== 'Told over Redis') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen).toBe('Told over Redis');
    expect(b.output()).toContain('settings changed by an admin: applied');
  });
});
