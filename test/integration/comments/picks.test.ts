import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEntryModel } from '../../../models/audit-entry';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe("the columnist's picks", () => {
  const { app, services } = buildTestApp();

  it('an editor picks a comment: it is shown above the thread and in the API, marked in the thread, and audited', async () => {
    const post = await buildPost();
    await postComment(services, post, { name: 'First Fay', body: 'An ordinary comment.' });
    const good = await postComment(services, post, {
      name: 'Wise Wren',
      body: 'Ask for the **summary** in writing.',
    });
    const editor = await buildUser(services, 'editor');
    const { agent, csrf } = await signIn(app, editor.username);

    // The editor sees Pick on each shown comment.
    const before = cheerio.load((await agent.get(`/posts/${post.slug}`).expect(200)).text);
    expect(before(`#comment-${good._id} form[action="/comments/${good._id}/feature"] button`).text()).toBe(
      'Pick',
    );
    expect(before('.picks')).toHaveLength(0);

    const res = await agent
      .post(`/comments/${good._id}/feature`)
      .type('form')
      .send({ _csrf: csrf, back: `/posts/${post.slug}#comment-${good._id}` })
      .expect(303);
    expect(res.headers.location).toMatch(new RegExp(`^/posts/${post.slug}\\?done=.*#comment-${good._id}$`));

    // Every reader sees it above the thread, with a link to it in the thread.
    const page = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect(page('.picks h3').text()).toBe('Columnist’s picks');
    expect(page('.pick .pick__body strong').text()).toBe('summary');
    expect(page('.pick .pick__meta a').attr('href')).toBe(`/posts/${post.slug}/comments/${good._id}`);
    expect(page(`#comment-${good._id} .badge--pick`).text()).toBe('Columnist’s pick');
    // Readers get no Pick button.
    expect(page('.comment__pick')).toHaveLength(0);

    const api = await request(app).get(`/api/posts/${post.slug}/comments`).expect(200);
    expect(api.body.featured.map((c: { id: string }) => c.id)).toEqual([String(good._id)]);
    expect(api.body.featured[0].featured).toBe(true);

    const audit = await AuditEntryModel.findOne({
      action: 'comment.feature',
      targetId: String(good._id),
    }).lean();
    expect(audit?.actorName).toBe(editor.username);

    // Unpicked: gone from the section.
    const after = cheerio.load((await agent.get(`/posts/${post.slug}`).expect(200)).text);
    const unpick = after(`#comment-${good._id} form[action="/comments/${good._id}/unfeature"]`);
    expect(unpick.find('button').text()).toBe('Unpick');
    await agent.post(`/comments/${good._id}/unfeature`).type('form').send({ _csrf: csrf }).expect(303);
    const gone = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect(gone('.picks')).toHaveLength(0);
  });

  it('a commenter cannot pick (403), and a held comment cannot be a pick (409)', async () => {
    const post = await buildPost();
    const comment = await postComment(services, post, { body: 'Mine.' });
    const commenter = await buildUser(services);
    const reader = await signIn(app, commenter.username);
    await reader.agent
      .post(`/comments/${comment._id}/feature`)
      .type('form')
      .send({ _csrf: reader.csrf })
      .expect(403);

    const held = await services.moderation.act(
      await buildUser(services, 'moderator'),
      String(comment._id),
      'remove',
      'test',
    );
    const moderator = await buildUser(services, 'moderator');
    const { agent, csrf } = await signIn(app, moderator.username);
    const res = await agent
      .post(`/comments/${held._id}/feature`)
      .type('form')
      .set('Accept', 'application/json')
      .send({ _csrf: csrf })
      .expect(409);
    expect(res.body.error.message).toMatch(/not shown to readers/);
  });
});
