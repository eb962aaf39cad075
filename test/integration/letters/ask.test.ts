import * as cheerio from 'cheerio';
import request from 'supertest';
import { LetterModel } from '../../../models/letter';
import { mongooseHealth } from '../../../server/db/connection';
import { buildTestApp, guestForm } from '../../setup/app';

describe('asking a question', () => {
  let clock = Date.now();
  const { app, services } = buildTestApp(
    { ASK_MIN_SECONDS: '3', ASK_PER_HOUR: '3' },
    mongooseHealth(),
    () => clock,
  );

  async function form() {
    const $ = cheerio.load((await request(app).get('/ask').expect(200)).text);
    return { $, formToken: $('input[name=formToken]').val() as string };
  }

  const good = {
    subject: 'My boss schedules meetings over lunch',
    letter: 'Every day at noon there is a meeting. What can I say?',
    pseudonym: 'Hungry in Houston',
    email: 'Hungry@Example.com',
    consentPublish: 'yes',
    wantsAnonymized: 'yes',
  };

  it('shows a labelled form', async () => {
    const { $ } = await form();
    for (const id of ['subject', 'letter', 'pseudonym', 'email', 'consentPublish']) {
      expect($(`#field-${id}`)).toHaveLength(1);
    }
    expect($('label[for=field-letter]').text()).toBe('Your letter');
    expect($('.hp').attr('aria-hidden')).toBe('true');
  });

  it('accepts a letter and gives a reference number; the email stays private', async () => {
    const { formToken } = await form();
    clock += 5000;
    const res = await request(app)
      .post('/ask')
      .type('form')
      .send({ _csrf: guestForm(), ...good, formToken })
      .expect(303);
    const reference = res.headers.location.split('/').pop();
    expect(reference).toMatch(/^Q-[0-9A-F]{6}$/);
    const page = cheerio.load((await request(app).get(res.headers.location).expect(200)).text);
    expect(page('.reference').text()).toBe(reference);
    const saved = await LetterModel.findOne({ reference }).select('+email').lean();
    expect(saved).toMatchObject({
      status: 'new',
      email: 'hungry@example.com',
      pseudonym: 'Hungry in Houston',
      consentPublish: true,
      wantsAnonymized: true,
    });
    // The writer is told it arrived, with the reference.
    await services.mailQueue.runDue();
    const [mail] = services.mailer.captured.filter((m) => m.to === 'hungry@example.com');
    expect(mail.subject).toBe(`We have your letter (${reference})`);
    expect(mail.text).toContain(`its reference is ${reference}`);

    // Anyone can type an address: a second letter to it the same day sends no second mail.
    const again = await form();
    clock += 5000;
    await request(app)
      .post('/ask')
      .type('form')
      .send({ _csrf: guestForm(), ...good, formToken: again.formToken })
      .expect(303);
    await services.mailQueue.runDue();
    expect(services.mailer.captured.filter((m) => m.to === 'hungry@example.com')).toHaveLength(1);
  });

  it('refuses a form sent faster than a person could, and a filled honeypot, storing nothing', async () => {
    const before = await LetterModel.countDocuments();
    const { formToken } = await form();
    const fast = await request(app)
      .post('/ask')
      .type('form')
      .send({ _csrf: guestForm(), ...good, formToken })
      .expect(400);
    expect(cheerio.load(fast.text)('.form-errors p').text()).toBe(
      'That was very quick. Please check your letter, then send it again.',
    );
    expect(cheerio.load(fast.text)('#field-letter').text()).toBe(good.letter);
    // Fast and incomplete: what needs changing is said first (the clock would only hide it).
    const { formToken: another } = await form();
    const incomplete = cheerio.load(
      (
        await request(app)
          .post('/ask')
          .type('form')
          .send({ _csrf: guestForm(), ...good, email: '', consentPublish: '', formToken: another })
          .expect(400)
      ).text,
    );
    expect(incomplete('#error-email').text()).toContain('Give an email address');
    expect(incomplete('#error-consentPublish').text()).toBeTruthy();
    expect(incomplete('#error-letter')).toHaveLength(0);
    clock += 5000;
    await request(app)
      .post('/ask')
      .type('form')
      .send({ _csrf: guestForm(), ...good, formToken, website: 'http://spam.example' })
      .expect(400);
    await request(app)
      .post('/ask')
      .type('form')
      .send({ _csrf: guestForm(), ...good, formToken: '123.forged' })
      .expect(400);
    expect(await LetterModel.countDocuments()).toBe(before);
  });

  it('explains what is missing, field by field', async () => {
    const { formToken } = await form();
    clock += 5000;
    const res = await request(app)
      .post('/ask')
      .type('form')
      .send({
        _csrf: guestForm(),
        formToken,
        subject: 'Only a subject',
        letter: 'x'.repeat(8001),
        email: 'nope',
      })
      .expect(400);
    const $ = cheerio.load(res.text);
    expect($('#error-letter').text()).toBe('Your letter is 8001 characters long; the limit is 8000.');
    expect($('#error-email').text()).toBe('That does not look like an email address.');
    expect($('#error-consentPublish').text()).toBe('We can only answer letters we may publish and edit.');
    expect($('#field-subject').val()).toBe('Only a subject');
  });

  it('limits letters per address per hour', async () => {
    clock += 2 * 3600000;
    for (let i = 0; i < 3; i += 1) {
      const { formToken } = await form();
      clock += 5000;
      await request(app)
        .post('/ask')
        .type('form')
        .send({ _csrf: guestForm(), ...good, formToken })
        .expect(303);
    }
    const { formToken } = await form();
    clock += 5000;
    const res = await request(app)
      .post('/ask')
      .type('form')
      .send({ _csrf: guestForm(), ...good, formToken })
      .expect(429);
    expect(cheerio.load(res.text)('main p').first().text()).toContain('several letters in the last hour');
  });
});
