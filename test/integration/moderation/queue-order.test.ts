import * as cheerio from 'cheerio';
import { CommentModel } from '../../../models/comment';
import { ReportModel } from '../../../models/report';
import { buildComment, buildPost } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('moderation queues: paged by key with no cap, newest or oldest first', () => {
  const { app, services } = buildTestApp();

  it('pages the reported queue past 120 comments, each once, in either order', async () => {
    const post = await buildPost();
    const ids: string[] = [];
    for (let i = 1; i <= 120; i += 1) {
      const comment = await buildComment(post, { number: i, authorName: `Reported ${i}`, reportCount: 1 });
      ids.push(String(comment._id));
      await ReportModel.create({
        comment: comment._id,
        post: post._id,
        reporterKey: `ip:r${i}`,
        reason: `reason ${i}`,
      });
      // A second report on every tenth comment: still listed once.
      if (i % 10 === 0) {
        await ReportModel.create({
          comment: comment._id,
          post: post._id,
          reporterKey: `ip:s${i}`,
          reason: 'again',
        });
      }
    }
    expect(await CommentModel.countDocuments({ post: post._id })).toBe(120);
    const moderator = await buildUser(services, 'moderator');
    const { agent } = await signIn(app, moderator.username);

    async function walk(first: string): Promise<string[]> {
      const seen: string[] = [];
      let href: string | undefined = first;
      for (let pages = 0; href && pages < 10; pages += 1) {
        const $ = cheerio.load((await agent.get(href).expect(200)).text);
        $('input[name=ids]').each((_i, el) => {
          seen.push($(el).attr('value')!);
        });
        href = $('.pagination a[rel=next]').attr('href');
      }
      return seen;
    }
    const newest = await walk('/moderation?queue=reported');
    expect(newest).toHaveLength(120);
    expect(new Set(newest).size).toBe(120);
    expect(newest[0]).toBe(ids[119]);
    const oldest = await walk('/moderation?queue=reported&order=oldest');
    expect(oldest).toEqual([...newest].reverse());
  });
});
