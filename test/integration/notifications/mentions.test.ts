import * as cheerio from 'cheerio';
import request from 'supertest';
import { MailJobModel } from '../../../models/mail-job';
import { UserModel } from '../../../models/user';
import { buildPost, postComment } from '../../fixtures/factories';
import { PASSWORD } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('@mentions: linked, and mailed like a reply', () => {
  const { app, services } = buildTestApp();

  async function account(username: string, email: string) {
    const user = await services.users.register({ username, password: PASSWORD, email });
    await UserModel.updateOne({ _id: user.id }, { $set: { emailConfirmedAt: new Date() } });
    return user;
  }

  /** The mail jobs for an address, once the notifier (which listens to events) has stored `count`. */
  async function jobsTo(address: string, count: number) {
    for (let i = 0; i < 200; i += 1) {
      const stored = await MailJobModel.find({ to: address }).lean();
      if (stored.length >= count) return stored;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return MailJobModel.find({ to: address }).lean();
  }

  it('links a mentioned account and mails it once, with the one-click unsubscribe; not the writer, not twice', async () => {
    const post = await buildPost();
    const mona = await account('Mona_M', 'mona@example.com');
    const writer = await account('Wes_W', 'wes@example.com');
    const comment = await postComment(
      services,
      post,
      { body: 'I agree with @mona_m here, and @wes_w (me) and @nobody_at_all too. `@mona_m` in code.' },
      { user: writer },
    );
    const $ = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    const links = $(`#comment-${comment._id} a.mention`);
    expect(links.map((_, a) => $(a).attr('href')).get()).toEqual(['/users/Mona_M', '/users/Wes_W']);
    expect($(`#comment-${comment._id} code`).text()).toBe('@mona_m');

    const [mail] = await jobsTo('mona@example.com', 1);
    expect(mail.subject).toBe(`Wes_W mentioned you on “${post.title}”`);
    expect(mail.text).toContain(`/posts/${post.slug}/comments/${comment._id}`);
    expect(mail.headers).toMatchObject({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(await jobsTo('wes@example.com', 1)).toHaveLength(0);

    // A reply that also mentions the parent's writer: one mail (the reply), not two.
    await postComment(services, post, {
      parent: String(comment._id),
      name: 'Guest Gia',
      body: 'As @wes_w says.',
    });
    const toWes = await jobsTo('wes@example.com', 1);
    expect(toWes.map((j) => j.subject)).toEqual([`Guest Gia replied to your comment on “${post.title}”`]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await MailJobModel.countDocuments({ to: 'wes@example.com' })).toBe(1);
    expect(mona.username).toBe('Mona_M');
  });

  it('an account that turned reply emails off is not mailed for a mention', async () => {
    const post = await buildPost();
    const quiet = await account('Quiet_Q', 'quiet@example.com');
    await UserModel.updateOne({ _id: quiet.id }, { $set: { notifyReplies: false } });
    await postComment(services, post, { name: 'Guest', body: 'Hey @quiet_q.' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await MailJobModel.countDocuments({ to: 'quiet@example.com' })).toBe(0);
  });
});
