import * as cheerio from 'cheerio';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { ReportModel } from '../../../models/report';
import { PostModel } from '../../../models/post';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';

describe('reports by category, dismissing them, and closing a thread with a note', () => {
  const { app, services } = buildTestApp({ TRUST_PROXY: 'true' });

  it('shows the comment on the report form and offers the categories', async () => {
    const post = await buildPost();
    const target = await postComment(services, post, { name: 'Pat', body: 'A *pointed* remark.' });
    const $ = cheerio.load((await request(app).get(`/comments/${target._id}/report`).expect(200)).text);
    expect($('.report-quote figcaption').text()).toBe(`#${target.number} by Pat`);
    expect($('.report-quote em').text()).toBe('pointed');
    expect(
      $('input[name=category]')
        .map((_, el) => $(el).attr('value'))
        .get(),
    ).toEqual(['spam', 'abuse', 'off-topic', 'personal-info', 'other']);
    expect($('fieldset legend').text()).toBe('What is wrong?');
  });

  it('refuses "something else" without words, next to the field, keeping the choice', async () => {
    const post = await buildPost();
    const target = await postComment(services, post, { body: 'Hm.' });
    const res = await request(app)
      .post(`/comments/${target._id}/report`)
      .type('form')
      .send({ _csrf: guestForm(), category: 'other', reason: '  ', back: `/posts/${post.slug}` })
      .expect(400);
    const $ = cheerio.load(res.text);
    expect($('#error-reason').text()).toMatch(/needs a few words/);
    expect($('#field-reason').attr('aria-invalid')).toBe('true');
    expect($('input[name=category][value=other]').attr('checked')).toBeDefined();
    expect(await ReportModel.countDocuments({ comment: target._id })).toBe(0);
  });

  it('stores the category, and a dismissal closes the reports and leaves the comment shown', async () => {
    const post = await buildPost();
    const target = await postComment(services, post, { body: 'Fine, really.' });
    await request(app)
      .post(`/comments/${target._id}/report`)
      .set('X-Forwarded-For', '198.51.100.20')
      .type('form')
      .send({ _csrf: guestForm(), category: 'personal-info', reason: '' })
      .expect(200);
    expect(await ReportModel.findOne({ comment: target._id }).lean()).toMatchObject({
      category: 'personal-info',
      resolved: false,
    });
    const moderator = await buildUser(services, 'moderator');
    const { agent, csrf } = await signIn(app, moderator.username);
    const res = await agent
      .post(`/moderation/comments/${target._id}/dismiss`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf })
      .expect(200);
    expect(res.body).toEqual({ ok: true, message: `#${target.number} cleared of reports.` });
    expect(await ReportModel.countDocuments({ comment: target._id, resolved: false })).toBe(0);
    expect(await CommentModel.findById(target._id).lean()).toMatchObject({
      status: 'visible',
      reportCount: 0,
    });
    // Twice: nothing left to dismiss, said in JSON.
    const again = await agent
      .post(`/moderation/comments/${target._id}/dismiss`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf })
      .expect(409);
    expect(again.body.error.message).toBe(`Comment #${target.number} has no open reports to dismiss.`);
  });

  it('closes comments with a note readers see above "Comments are closed.", and reopening clears it', async () => {
    const post = await buildPost();
    const moderator = await buildUser(services, 'moderator');
    const { agent, csrf } = await signIn(app, moderator.username);
    const note = 'Thanks, everyone: the letter writer has an update coming next week.';
    await agent
      .post(`/moderation/posts/${post._id}/close`)
      .type('form')
      .send({ _csrf: csrf, reason: note })
      .expect(303);
    let $ = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect($('.comments-closed__note').text()).toBe(note);
    expect($('.comments-closed').text()).toBe('Comments are closed.');
    await agent.post(`/moderation/posts/${post._id}/reopen`).type('form').send({ _csrf: csrf }).expect(303);
    $ = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect($('.comments-closed__note')).toHaveLength(0);
  });

  it('offers Dismiss only on shown comments: a comment held by reports is approved or removed', async () => {
    const post = await buildPost();
    const held = await postComment(services, post, { body: 'Held by reports.' });
    await services.moderation.report({ ip: '198.51.100.31' }, String(held._id), {
      category: 'spam',
      reason: '',
    });
    await CommentModel.updateOne({ _id: held._id }, { $set: { status: 'pending', heldReason: '1 reports' } });
    const moderator = await buildUser(services, 'moderator');
    const { agent, csrf } = await signIn(app, moderator.username);
    const $ = cheerio.load(
      (await agent.get(`/moderation?queue=reported&post=${post.slug}`).expect(200)).text,
    );
    const card = $(`li.queue-card[data-id="${String(held._id)}"]`);
    expect(
      card
        .find('.queue-card__actions > form[data-card-action]')
        .map((_, f) => $(f).attr('data-card-action'))
        .get(),
    ).toEqual(['approve', 'remove']);
    // Asked anyway (a bulk action, an old page): refused, with a reason typed or not.
    const refused = await agent
      .post(`/moderation/comments/${held._id}/dismiss`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, reason: 'looks fine' })
      .expect(409);
    expect(refused.body.error.message).toBe(
      `Comment #${held.number} is pending; it cannot be cleared of reports.`,
    );
  });

  it('does not show a comment of an unpublished post on the report form', async () => {
    const post = await buildPost();
    const target = await postComment(services, post, { body: 'Said on a post that went back to draft.' });
    await services.posts.setCommentStatus(String(post._id), 'open');
    await PostModel.updateOne({ _id: post._id }, { $set: { status: 'draft' } });
    const res = await request(app).get(`/comments/${target._id}/report`).expect(404);
    expect(res.text).not.toContain('went back to draft');
  });
});
