import * as cheerio from 'cheerio';
import { AuditEntryModel } from '../../../models/audit-entry';
import { CommentModel } from '../../../models/comment';
import { buildPost, postComment } from '../../fixtures/factories';
import { PASSWORD, buildUser, csrfFrom, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('the commenter at a glance, and a spam wave removed in one action', () => {
  const { app, services } = buildTestApp();

  it('shows a guest email’s history from any of their comments, and removes all of it at once', async () => {
    const [first, second] = [await buildPost(), await buildPost()];
    const spam = { email: 'spam@example.com', body: 'Buy now.' };
    const one = await postComment(services, first, { ...spam, name: 'Spammy' });
    await postComment(services, second, { ...spam, name: 'Spammy Two' });
    await postComment(services, second, { ...spam, name: 'Spammy', body: 'Buy more.' });
    const innocent = await postComment(services, first, {
      name: 'Reader',
      email: 'reader@example.com',
      body: 'Nice.',
    });

    const moderator = await buildUser(services, 'moderator');
    const { agent } = await signIn(app, moderator.username);
    const page = await agent.get(`/moderation/commenter?comment=${String(one._id)}`).expect(200);
    const $ = cheerio.load(page.text);
    expect($('h1').text()).toBe('spam@example.com');
    expect($('.commenter-counts div').first().text()).toBe('Shown3');
    expect($('.tag-heading__meta').text()).toContain('“Spammy”, “Spammy Two”');
    expect($('.profile-comment')).toHaveLength(3);

    const done = await agent
      .post('/moderation/commenter/remove')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'spam@example.com', reason: 'spam wave' })
      .expect(303);
    expect(done.headers.location).toBe('/moderation/commenter?email=spam%40example.com&removed=3');
    const stored = await CommentModel.find({}).select('+authorEmail').lean();
    expect(
      stored.filter((c) => c.authorEmail === 'spam@example.com').every((c) => c.status === 'removed'),
    ).toBe(true);
    expect(stored.find((c) => String(c._id) === String(innocent._id))?.status).toBe('visible');
    expect(await AuditEntryModel.countDocuments({ action: 'comment.remove', reason: 'spam wave' })).toBe(3);
    const thread = cheerio.load((await agent.get(`/posts/${second.slug}`).expect(200)).text);
    expect(thread.text()).not.toContain('Buy more.');
  });

  it('shows an account’s history, and leaves removing an account’s comments to sanctions', async () => {
    const post = await buildPost();
    const member = await services.users.register({ username: 'History Hana', password: PASSWORD, email: '' });
    const comment = await postComment(services, post, { body: 'Hello.' }, { user: member });
    const moderator = await buildUser(services, 'moderator');
    const { agent } = await signIn(app, moderator.username);
    const page = cheerio.load(
      (await agent.get(`/moderation/commenter?comment=${String(comment._id)}`).expect(200)).text,
    );
    expect(page('h1').text()).toBe('History Hana');
    expect(page('form[action="/moderation/commenter/remove"]')).toHaveLength(0);
    await agent.get('/moderation/commenter').expect(400);
    const reader = await buildUser(services);
    await (await signIn(app, reader.username)).agent
      .get(`/moderation/commenter?user=${member.id}`)
      .expect(403);
  });

  it('suspends an account from its history, says which sanctions are in force, and lifts one there', async () => {
    const member = await buildUser(services);
    const moderator = await buildUser(services, 'moderator');
    const { agent, csrf } = await signIn(app, moderator.username);
    const history = `/moderation/commenter?user=${member.id}`;
    const before = cheerio.load((await agent.get(history).expect(200)).text);
    expect(
      before('form[action$="/sanction"] button')
        .map((_, b) => before(b).text())
        .get(),
    ).toEqual(['Suspend', 'Ban permanently']);
    const suspended = await agent
      .post(`/moderation/users/${member.id}/sanction`)
      .type('form')
      .send({ _csrf: csrf, days: '5', reason: 'cooling off', back: history })
      .expect(303);
    expect(suspended.headers.location).toMatch(/^\/moderation\/commenter\?user=[a-f0-9]{24}&done=/);
    const during = cheerio.load((await agent.get(suspended.headers.location).expect(200)).text);
    expect(during('.notice').text()).toBe('The account is suspended for 5 days.');
    const item = during('.sanction-list li').first();
    expect(item.find('strong').text()).toBe('Suspended');
    expect(item.text()).toContain('in force');
    const lifted = await agent
      .post(item.find('form').attr('action')!)
      .type('form')
      .send({ _csrf: csrf, back: history })
      .expect(303);
    const after = cheerio.load((await agent.get(lifted.headers.location).expect(200)).text);
    expect(after('.notice').text()).toBe('The sanction is lifted.');
    // Seen before: a lifted suspension read "until …" as if it still ran.
    expect(after('.sanction-list li').first().text()).toContain('lifted');
    expect(after('.sanction-list li').first().text()).not.toContain('in force');
  });

  it('offers no sanction against staff', async () => {
    const editor = await buildUser(services, 'editor');
    const moderator = await buildUser(services, 'moderator');
    const { agent } = await signIn(app, moderator.username);
    const page = cheerio.load((await agent.get(`/moderation/commenter?user=${editor.id}`).expect(200)).text);
    expect(page('form[action$="/sanction"]')).toHaveLength(0);
  });
});
