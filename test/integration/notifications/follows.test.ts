import * as cheerio from 'cheerio';
import request from 'supertest';
import { FollowModel } from '../../../models/follow';
import { MailJobModel } from '../../../models/mail-job';
import { UserModel } from '../../../models/user';
import { FollowService } from '../../../server/services/notifications/follows';
import { buildPost, postComment } from '../../fixtures/factories';
import { PASSWORD, csrfFrom, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('following a post: its new comments as one email digest', () => {
  const { app, services, config } = buildTestApp();

  it('follows from the post page, mails one digest of others’ new comments at most every N minutes, and stops in one click', async () => {
    const post = await buildPost();
    await postComment(services, post, { name: 'Before Bea', body: 'Already here.' });
    const me = await services.users.register({
      username: 'Follower Flo',
      password: PASSWORD,
      email: 'flo@example.com',
    });
    await UserModel.updateOne({ _id: me.id }, { $set: { emailConfirmedAt: new Date() } });
    const { agent } = await signIn(app, 'Follower Flo');
    const page = await agent.get(`/posts/${post.slug}`).expect(200);
    await agent
      .post(`/posts/${post.slug}/follow`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const after = cheerio.load((await agent.get(`/posts/${post.slug}`).expect(200)).text);
    expect(after('.follow-form').text()).toContain('You follow this post');

    await postComment(services, post, { name: 'New Nan', body: 'First *new* one.' });
    await postComment(services, post, { body: 'My own, not mailed to me.' }, { user: me });
    await postComment(services, post, { name: 'New Ned', body: 'Second new one.' });
    for (let i = 0; i < 100 && !(await FollowModel.exists({ pending: true })); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    let clock = Date.now();
    const digests = new FollowService(config, services.comments, services.mailQueue, () => clock);
    expect(await digests.sendDigests()).toBe(0); // not FOLLOW_DIGEST_MINUTES yet
    clock += (config.followDigestMinutes + 1) * 60000;
    expect(await digests.sendDigests()).toBe(1);
    expect(await digests.sendDigests()).toBe(0); // once
    await services.mailQueue.runDue();
    const mail = services.mailer.captured.filter((m) => m.to === 'flo@example.com').at(-1)!;
    expect(mail.subject).toBe(`2 new comments on “${post.title}”`);
    expect(mail.text).toContain('New Nan');
    expect(mail.text).toContain('First new one.');
    expect(mail.text).toContain('New Ned');
    expect(mail.text).not.toContain('Already here.');
    expect(mail.text).not.toContain('My own');
    expect(await MailJobModel.countDocuments({ key: /^digest:/ })).toBe(1);

    // One click in the mail stops following; later comments send nothing.
    const headers = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    const stop = new URL(/^List-Unsubscribe: <([^>]+)>/m.exec(headers)![1]).pathname;
    const ask = cheerio.load((await request(app).get(stop).expect(200)).text);
    expect(ask('h1').text()).toBe('Stop following this post?');
    await request(app).post(stop).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(await FollowModel.countDocuments({})).toBe(0);
    await postComment(services, post, { name: 'Later Lu', body: 'Nobody hears.' });
    clock += (config.followDigestMinutes + 1) * 60000;
    expect(await digests.sendDigests()).toBe(0);
  });

  it('unfollows from the post page', async () => {
    const post = await buildPost();
    await services.users.register({ username: 'Quitter Quinn', password: PASSWORD, email: 'q@example.com' });
    const { agent } = await signIn(app, 'Quitter Quinn');
    let page = await agent.get(`/posts/${post.slug}`).expect(200);
    await agent
      .post(`/posts/${post.slug}/follow`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    page = await agent.get(`/posts/${post.slug}`).expect(200);
    await agent
      .post(`/posts/${post.slug}/unfollow`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const after = cheerio.load((await agent.get(`/posts/${post.slug}`).expect(200)).text);
    expect(after('.follow-form button').text()).toBe('Follow this post by email');
    // Guests see no follow form (they have no account to mail).
    const guest = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect(guest('.follow-form')).toHaveLength(0);
  });
});
