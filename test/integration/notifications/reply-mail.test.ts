import * as cheerio from 'cheerio';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { LetterModel } from '../../../models/letter';
import { MailJobModel } from '../../../models/mail-job';
import { UserModel } from '../../../models/user';
import { createMailer } from '../../../server/mail/mailer';
import { MailQueue } from '../../../server/services/notifications/mail-queue';
import { buildPost, postComment } from '../../fixtures/factories';
import { PASSWORD, csrfFrom, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';

/** Waits until the notifier (which listens to comment events) has stored `count` jobs. */
async function jobs(count: number) {
  for (let i = 0; i < 200; i += 1) {
    const stored = await MailJobModel.find({}).lean();
    if (stored.length >= count) return stored;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`expected ${count} mail jobs`);
}

const mailConfig = { smtpUrl: '', mailFrom: 'Ask the Columnist <no-reply@example.com>', outboxDir: '' };

describe('reply notifications by email, through a queue in the database', () => {
  const { app, services } = buildTestApp();

  beforeEach(async () => {
    await MailJobModel.deleteMany({});
  });

  it('mails an account when someone replies, with a one-click unsubscribe that works without signing in', async () => {
    const post = await buildPost();
    const author = await services.users.register({
      username: 'Notified Nia',
      password: PASSWORD,
      email: 'nia@example.com',
    });
    // Mail goes only to confirmed addresses.
    await UserModel.updateOne({ _id: author.id }, { $set: { emailConfirmedAt: new Date() } });
    const mine = await postComment(services, post, { body: 'My first thought.' }, { user: author });
    // Her own reply to herself, and a reply to a guest: no mail.
    await postComment(
      services,
      post,
      { parent: String(mine._id), body: 'Adding to myself.' },
      { user: author },
    );
    const guest = await postComment(services, post, { name: 'Guest Gil', body: 'Hello.' });
    await postComment(services, post, { parent: String(guest._id), name: 'Other', body: 'Hi Gil.' });
    const reply = await postComment(services, post, {
      parent: String(mine._id),
      name: 'Replying Rae',
      body: 'I *disagree*.\nStrongly.',
    });
    await jobs(1);
    await services.mailQueue.runDue();

    const sent = services.mailer.captured.filter((m) => m.to === 'nia@example.com');
    expect(sent).toHaveLength(1);
    const [mail] = sent;
    expect(mail.subject).toBe(`Replying Rae replied to your comment on “${post.title}”`);
    expect(mail.text).toContain('> I *disagree*.\n> Strongly.');
    expect(mail.text).toContain(`/posts/${post.slug}/comments/${String(reply._id)}`);
    // The message's headers as a mail program reads them (long ones are folded onto the next line).
    const headers = mail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    expect(headers).toMatch(/^List-Unsubscribe: <http[^>]+\/unsubscribe\/[^>]+>\r?$/m);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(headers).toMatch(/^Content-Type: text\/plain/m);
    expect((await MailJobModel.find({}).lean()).map((j) => j.status)).toEqual(['sent']);

    // GET only asks; the mail program's one-click POST has no cookie and no form token.
    const unsubscribe = new URL(/^List-Unsubscribe: <([^>]+)>/m.exec(headers)![1]).pathname;
    const ask = await request(app).get(unsubscribe).expect(200);
    expect(cheerio.load(ask.text)('h1').text()).toBe('Stop reply emails?');
    expect((await UserModel.findById(author.id).lean())?.notifyReplies).toBe(true);
    await request(app).post(unsubscribe).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect((await UserModel.findById(author.id).lean())?.notifyReplies).toBe(false);
    await request(app)
      .post(`${unsubscribe.slice(0, -3)}xyz`)
      .expect(404);

    await postComment(services, post, { parent: String(mine._id), name: 'Later Lou', body: 'Late reply.' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await MailJobModel.countDocuments({})).toBe(1);
  });

  it('mails a guest who ticked "Email me replies", once the address is confirmed, until they stop it', async () => {
    const post = await buildPost();
    const form = { _csrf: guestForm(), name: 'Guest Gwen', body: 'Anyone?', notify: 'on' };
    // Ticked without an address: the form says what is missing, on the email field.
    const missing = await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send(form)
      .expect(400);
    expect(cheerio.load(missing.text)('#error-email').text()).toBe(
      'Give your email address to get replies by email.',
    );
    await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ ...form, email: 'Gwen@Example.com' })
      .expect(303);
    const asked = await jobs(1);
    expect(asked[0].subject).toMatch(/^Confirm to get replies/);
    const gwen = await CommentModel.findOne({ authorName: 'Guest Gwen' }).lean();
    expect(gwen?.notifyReplies).toBe(true);

    // A reply before the address is confirmed: no mail to it.
    await postComment(services, post, { parent: String(gwen!._id), name: 'Early Eli', body: 'Too early.' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await services.mailQueue.runDue();
    const confirm = services.mailer.captured.find((m) => m.to === 'gwen@example.com')!;
    expect(services.mailer.captured.filter((m) => m.to === 'gwen@example.com')).toHaveLength(1);
    const link = new URL(/https?:\/\/\S+\/notify\/confirm\/\S+/.exec(confirm.text)![0]).pathname;
    // The link asks first (a mail scanner following it confirms nothing); the button confirms.
    const ask = await request(app).get(link).expect(200);
    expect(cheerio.load(ask.text)('h1').text()).toBe('Confirm your address');
    expect(await CommentModel.countDocuments({ notifyConfirmed: true })).toBe(0);
    await request(app).post(`${link}x`).expect(404);
    const confirmed = await request(app).post(link).expect(200);
    expect(cheerio.load(confirmed.text)('h1').text()).toBe('Address confirmed');

    await postComment(services, post, {
      parent: String(gwen!._id),
      name: 'Later Lin',
      body: 'Now you hear me.',
    });
    await jobs(2);
    await services.mailQueue.runDue();
    const replyMail = services.mailer.captured.filter((m) => m.to === 'gwen@example.com').at(-1)!;
    expect(replyMail.subject).toBe(`Later Lin replied to your comment on “${post.title}”`);
    const headers = replyMail.raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    const unsubscribe = new URL(/^List-Unsubscribe: <([^>]+)>/m.exec(headers)![1]).pathname;
    await request(app).post(unsubscribe).type('form').send('List-Unsubscribe=One-Click').expect(200);

    // Someone else typing Gwen's confirmed address on their own comment does not get mail sent to her.
    const jobsBefore = await MailJobModel.countDocuments({ key: /^reply:/ });
    const impostor = await services.comments.create(
      await services.posts.getBySlug(post.slug),
      {
        parentId: '',
        authorName: 'Not Gwen',
        authorEmail: 'gwen@example.com',
        body: 'Hi.',
        notifyReplies: true,
      },
      {},
    );
    await postComment(services, post, {
      parent: String(impostor._id),
      name: 'Replier',
      body: 'Spam for Gwen.',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await MailJobModel.countDocuments({ key: /^reply:/ })).toBe(jobsBefore);

    await postComment(services, post, { parent: String(gwen!._id), name: 'Last Lee', body: 'Silence.' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await MailJobModel.countDocuments({ key: /^reply:/ })).toBe(jobsBefore);
  });

  it('mails the letter writer, at the address they wrote from, when someone replies to them', async () => {
    const letter = await LetterModel.create({
      reference: 'Q-LW0001',
      subject: 'My boss texts at night',
      body: 'Help.',
      email: 'writer@example.com',
      consentPublish: true,
    });
    const post = await buildPost({ letter: letter._id });
    const fresh = await services.posts.getBySlug(post.slug);
    const theirs = await services.comments.create(
      fresh,
      { parentId: '', authorName: '', authorEmail: '', body: 'Update: it worked.' },
      { letterWriter: 'Letter writer' },
    );
    await postComment(services, post, { parent: String(theirs._id), name: 'Glad Gus', body: 'So glad!' });
    await jobs(1);
    await services.mailQueue.runDue();
    const mail = services.mailer.captured.filter((m) => m.to === 'writer@example.com').at(-1)!;
    expect(mail.subject).toBe(`Glad Gus replied to your comment on “${post.title}”`);
    expect(mail.text).toContain('You get this because you wrote the letter this post answers');
  });

  it('lets an account turn reply emails back on from its settings', async () => {
    const user = await services.users.register({
      username: 'Toggle Tia',
      password: PASSWORD,
      email: 'tia@example.com',
    });
    await UserModel.updateOne({ _id: user.id }, { $set: { notifyReplies: false } });
    const { agent } = await signIn(app, 'Toggle Tia');
    const page = await agent.get('/account').expect(200);
    expect(cheerio.load(page.text)('input[name=replies]').attr('checked')).toBeUndefined();
    await agent
      .post('/account/notifications')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), replies: 'on' })
      .expect(303);
    expect((await UserModel.findById(user.id).lean())?.notifyReplies).toBe(true);
  });

  it('retries with backoff when the mail server fails, and sends once it answers', async () => {
    let clock = Date.UTC(2026, 10, 27, 12);
    // A real SMTP connection to a port where nothing listens: refused.
    const down = new MailQueue(createMailer({ ...mailConfig, smtpUrl: 'smtp://127.0.0.1:1' }), () => clock);
    await down.enqueue('retry-1', { to: 'r@example.com', subject: 'Hello', text: 'Body' });
    expect(await down.runDue()).toBe(0);
    // The run its enqueue kicked off, too: none may run after the clock moves on.
    await down.idle();
    const [failed] = await MailJobModel.find({ key: 'retry-1' }).lean();
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(failed.nextAttemptAt.getTime()).toBe(clock + 60000);

    const upMailer = createMailer(mailConfig);
    const up = new MailQueue(upMailer, () => clock);
    expect(await up.runDue()).toBe(0); // not due yet
    clock += 61000;
    expect(await up.runDue()).toBe(1);
    expect(upMailer.captured.map((m) => m.subject)).toEqual(['Hello']);
    expect((await MailJobModel.findOne({ key: 'retry-1' }).lean())?.status).toBe('sent');
  });

  it('sends, when asked, a mail stored while an earlier run was still sending', async () => {
    const mailer = createMailer(mailConfig);
    const send = mailer.send.bind(mailer);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sending = 0;
    mailer.send = async (mail) => {
      sending += 1;
      if (sending === 1) await gate; // the first mail's server is slow
      return send(mail);
    };
    const queue = new MailQueue(mailer);
    await queue.enqueue('early', { to: 'early@example.com', subject: 'Early', text: 'Body' });
    while (sending === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // The run under way read the queue before this one was stored.
    await queue.enqueue('late', { to: 'late@example.com', subject: 'Late', text: 'Body' });
    const asked = queue.runDue();
    release();
    await asked;
    expect(mailer.captured.map((m) => m.subject).sort()).toEqual(['Early', 'Late']);
    expect(await MailJobModel.countDocuments({ status: 'sent' })).toBe(2);
  });

  it('never sends a mail twice, with three processes sending at once, and leaves nothing behind', async () => {
    const mailers = [createMailer(mailConfig), createMailer(mailConfig), createMailer(mailConfig)];
    const [first, ...others] = mailers.map((mailer) => new MailQueue(mailer));
    // The first process stores the jobs (and starts sending them); the two others run over them at once.
    for (let i = 0; i < 30; i += 1) {
      await first.enqueue(`many-${i}`, { to: `p${i}@example.com`, subject: `Mail ${i}`, text: 'Body' });
    }
    await first.enqueue('many-0', { to: 'p0@example.com', subject: 'Mail 0 again', text: 'Body' }); // same key: same job
    await Promise.all([first.runDue(), ...others.map((queue) => queue.runDue())]);
    const subjects = mailers.flatMap((mailer) => mailer.captured.map((m) => m.subject));
    expect(subjects).toHaveLength(30);
    expect(new Set(subjects).size).toBe(30);
    expect(await MailJobModel.countDocuments({ status: 'sent' })).toBe(30);
    expect(await new MailQueue(createMailer(mailConfig)).runDue()).toBe(0);
  });
});
