import * as cheerio from 'cheerio';
import request from 'supertest';
import { UserModel } from '../../../models/user';
import { buildPost } from '../../fixtures/factories';
import { PASSWORD, csrfFrom } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('ACCOUNT_EMAIL_CONFIRMATION=required: new accounts confirm their email before commenting', () => {
  const { app, services } = buildTestApp({ ACCOUNT_EMAIL_CONFIRMATION: 'required' });

  it('sends a link on registration, refuses comments until it is followed, then accepts them', async () => {
    const post = await buildPost();
    const agent = request.agent(app);
    const form = await agent.get('/register').expect(200);
    await agent
      .post('/register')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        username: 'Unconfirmed Una',
        email: 'una@example.com',
        password: PASSWORD,
        next: '/',
      })
      .expect(303);

    const page = await agent.get(`/posts/${post.slug}`).expect(200);
    const refused = await agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body: 'Let me in.' })
      .expect(403);
    expect(cheerio.load(refused.text)('main').text()).toContain(
      'Confirm your email address before commenting',
    );

    await services.mailQueue.runDue();
    const mail = services.mailer.captured.find((m) => m.to === 'una@example.com')!;
    expect(mail.subject).toMatch(/Confirm your new email address/);
    const link = new URL(/https?:\/\/\S+\/account\/email\/\S+/.exec(mail.text)![0]).pathname;
    // The link asks; the button confirms.
    const asking = await agent.get(link).expect(200);
    await agent
      .post(link)
      .type('form')
      .send({ _csrf: csrfFrom(asking.text) })
      .expect(303);
    expect(
      (await UserModel.findOne({ username: 'Unconfirmed Una' }).lean())?.emailConfirmedAt,
    ).toBeInstanceOf(Date);

    const again = await agent.get(`/posts/${post.slug}`).expect(200);
    await agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrfFrom(again.text), body: 'Now I may.' })
      .expect(303);
  });

  it('sends at most three links an hour to one address, however many accounts give it', async () => {
    for (let i = 1; i <= 5; i += 1) {
      const user = await services.users.register({
        username: `Bombed Bo ${i}`,
        password: PASSWORD,
        email: 'victim@example.com',
      });
      await services.accounts.afterRegister(user);
    }
    await services.mailQueue.runDue();
    expect(services.mailer.captured.filter((m) => m.to === 'victim@example.com')).toHaveLength(3);
  });
});
