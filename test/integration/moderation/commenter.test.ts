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
});
