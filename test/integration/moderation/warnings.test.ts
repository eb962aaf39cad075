import * as cheerio from 'cheerio';
import { AuditEntryModel } from '../../../models/audit-entry';
import { buildPost } from '../../fixtures/factories';
import { buildUser, csrfFrom, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('warnings: a moderator warns an account, which acknowledges before commenting again', () => {
  const { app, services } = buildTestApp();

  it('shows the warning on the next page, refuses comments until it is acknowledged, and logs both', async () => {
    const post = await buildPost();
    const member = await buildUser(services);
    const moderator = await buildUser(services, 'moderator');
    const mod = (await signIn(app, moderator.username)).agent;
    const history = await mod.get(`/moderation/commenter?user=${member.id}`).expect(200);
    await mod
      .post(`/moderation/users/${member.id}/warn`)
      .type('form')
      .send({ _csrf: csrfFrom(history.text), reason: '' })
      .expect(400);
    await mod
      .post(`/moderation/users/${member.id}/warn`)
      .type('form')
      .send({ _csrf: csrfFrom(history.text), reason: 'Please keep it civil: no name-calling.' })
      .expect(303);

    const { agent } = await signIn(app, member.username);
    const page = await agent.get(`/posts/${post.slug}`).expect(200);
    const $ = cheerio.load(page.text);
    expect($('.warning-banner p').first().text()).toBe('Please keep it civil: no name-calling.');
    const refused = await agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body: 'Trying anyway.' })
      .expect(403);
    expect(cheerio.load(refused.text)('main').text()).toContain('A moderator has warned you');

    const back = await agent
      .post($('.warning-banner form').attr('action')!)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), back: `/posts/${post.slug}` })
      .expect(303);
    expect(back.headers.location).toBe(`/posts/${post.slug}`);
    const after = await agent.get(`/posts/${post.slug}`).expect(200);
    expect(cheerio.load(after.text)('.warning-banner')).toHaveLength(0);
    await agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrfFrom(after.text), body: 'Sorry, noted.' })
      .expect(303);
    expect((await AuditEntryModel.find({ targetId: member.id }).lean()).map((e) => e.action).sort()).toEqual([
      'user.acknowledge-warning',
      'user.warn',
    ]);
  });
});
