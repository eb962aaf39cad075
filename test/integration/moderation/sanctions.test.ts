import { BanModel } from '../../../models/ban';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEntryModel } from '../../../models/audit-entry';
import { mongooseHealth } from '../../../server/db/connection';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';

describe('sanctions', () => {
  let clock = Date.now();
  const { app, services } = buildTestApp({}, mongooseHealth(), () => clock);

  async function moderator() {
    const user = await buildUser(services, 'moderator');
    return { user, ...(await signIn(app, user.username)) };
  }

  it('suspends a user at once, for the days given, with a clear message', async () => {
    const post = await buildPost({ publishedAt: new Date(clock) });
    const user = await buildUser(services);
    const member = await signIn(app, user.username);
    const mod = await moderator();
    await mod.agent
      .post(`/moderation/users/${user.id}/sanction`)
      .type('form')
      .send({ _csrf: mod.csrf, days: '3', reason: 'cooling off' })
      .expect(303);
    const refused = await member.agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: member.csrf, body: 'hello?' })
      .expect(403);
    expect(cheerio.load(refused.text)('#respond .form-errors p').first().text()).toMatch(
      /^Your account is suspended until \d{4}-\d\d-\d\d \(cooling off\)/,
    );
    clock += 3 * 86400000 + 1000;
    await member.agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: member.csrf, body: 'back' })
      .expect(303);
  });

  it('bans a user (0 days) until the ban is lifted', async () => {
    const post = await buildPost({ publishedAt: new Date(clock) });
    const user = await buildUser(services);
    const mod = await moderator();
    await mod.agent
      .post(`/moderation/users/${user.id}/sanction`)
      .type('form')
      .send({ _csrf: mod.csrf, days: '0', reason: 'abuse' })
      .expect(303);
    const api = await services.comments
      .create(
        await services.posts.getBySlug(post.slug),
        { parentId: '', authorName: '', authorEmail: '', body: 'x' },
        { user },
      )
      .catch((err) => err);
    expect(api).toMatchObject({ status: 403, code: 'banned' });
    const bans = cheerio.load((await mod.agent.get('/moderation/sanctions').expect(200)).text);
    // Who it is, by name and linked to their history, not an internal id.
    const row = bans('tbody tr').first();
    expect(row.find('a').first().text()).toBe(user.username);
    expect(row.find('a').first().attr('href')).toBe(`/moderation/commenter?user=${user.id}`);
    expect(row.text()).not.toContain(user.id);
    const form = bans('form[action$="/lift"]').first().attr('action')!;
    await mod.agent.post(form).type('form').send({ _csrf: mod.csrf }).expect(303);
    const lifted = await AuditEntryModel.findOne({ action: 'ban.lift' }).sort({ _id: -1 }).lean();
    expect(lifted).toMatchObject({ targetType: 'user', targetId: user.id, targetLabel: user.username });
    await postComment(services, post, { body: 'allowed again' }, { user });
    await mod.agent
      .post(`/moderation/users/${mod.user.id}/sanction`)
      .type('form')
      .send({ _csrf: mod.csrf, days: '1' })
      .expect(400);
  });

  it('bans a guest by email and blocks an address (stored hashed), at once', async () => {
    const post = await buildPost({ publishedAt: new Date(clock) });
    await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Troll Tom', email: 'troll@example.com', body: 'bait' })
      .expect(303);
    const mod = await moderator();
    const queue = await services.moderation.queue('removed');
    expect(queue.items).toHaveLength(0);
    const comment = (
      await services.comments.loadThread(await services.posts.getBySlug(post.slug), { fresh: true })
    ).visible[0];
    await mod.agent
      .post(`/moderation/comments/${comment._id}/ban-email`)
      .type('form')
      .send({ _csrf: mod.csrf, reason: 'trolling' })
      .expect(303);
    const refused = await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Tom Again', email: 'TROLL@example.com', body: 'me again' })
      .expect(403);
    expect(cheerio.load(refused.text)('#respond .form-errors p').first().text()).toBe(
      'This email address may not comment here permanently (trolling).',
    );

    await mod.agent
      .post(`/moderation/comments/${comment._id}/block-ip`)
      .type('form')
      .send({ _csrf: mod.csrf, reason: 'evading' })
      .expect(303);
    const blocked = await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'New Name', body: 'new me' })
      .expect(403);
    expect(cheerio.load(blocked.text)('#respond .form-errors p').first().text()).toBe(
      'Comments from your network are blocked permanently.',
    );
    // The address is shared (an office): readers with an account from before the block still
    // comment; an account made after it (the blocked writer registering) is refused too.
    const block = await BanModel.findOne({ kind: 'ip' }).sort({ _id: -1 }).lean();
    const setBlockMade = async (at: number) => {
      await BanModel.collection.updateOne({ _id: block!._id }, { $set: { createdAt: new Date(at) } });
      services.sanctions.forget();
    };
    const colleague = await buildUser(services);
    await setBlockMade(Date.now() + 60000);
    const before = await signIn(app, colleague.username);
    await before.agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: before.csrf, body: 'I was here before the troll.' })
      .expect(303);
    await setBlockMade(Date.now() - 60000);
    const dodger = await buildUser(services);
    const after = await signIn(app, dodger.username);
    const dodged = await after.agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: after.csrf, body: 'new account, same me' })
      .expect(403);
    expect(cheerio.load(dodged.text)('#respond .form-errors p').first().text()).toBe(
      'Comments from your network are blocked permanently.',
    );
    const sanctionsPage = (await mod.agent.get('/moderation/sanctions')).text;
    expect(sanctionsPage).not.toContain('127.0.0.1');
    expect((await AuditEntryModel.find({ actor: mod.user.id }).lean()).map((e) => e.action)).toEqual([
      'email.ban',
      'ip.block',
    ]);
  });
});
