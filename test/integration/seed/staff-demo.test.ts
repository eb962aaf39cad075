import * as cheerio from 'cheerio';
import { LetterModel } from '../../../models/letter';
import { seedDemoContent } from '../../../server/seed/seed';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('demo content for staff: the workflows have something in them on first start', () => {
  const { app, services } = buildTestApp();

  it('seeds letters in each state, held comments and reported ones, once', async () => {
    await seedDemoContent();
    const byStatus = async (status: string) => LetterModel.countDocuments({ status });
    expect([
      await byStatus('new'),
      await byStatus('shortlisted'),
      await byStatus('declined'),
      await byStatus('archived'),
    ]).toEqual([2, 1, 1, 1]);

    const moderator = await buildUser(services, 'moderator');
    const { agent } = await signIn(app, moderator.username);
    const pending = cheerio.load((await agent.get('/moderation').expect(200)).text);
    expect(pending('main').text()).toContain('contains a link');
    expect(pending('main').text()).toContain('First Timer');
    const reported = cheerio.load((await agent.get('/moderation?queue=reported').expect(200)).text);
    expect(reported('main').text()).toContain('Personal attack on another commenter.');

    await seedDemoContent(); // a second run adds nothing
    expect(await LetterModel.countDocuments({})).toBe(5);
  });
});
