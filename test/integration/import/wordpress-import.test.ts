import * as cheerio from 'cheerio';
import path from 'node:path';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { PostModel } from '../../../models/post';
import { importWordpress } from '../../../server/services/import/wordpress';
import { MalformedXmlError } from '../../../server/services/import/xml-stream';
import { buildTestApp } from '../../setup/app';

const FIXTURES = path.join(__dirname, '../../fixtures/import');

describe('WordPress import', () => {
  const { app } = buildTestApp();

  beforeAll(async () => {
    await CommentModel.deleteMany({});
    await PostModel.deleteMany({});
  });

  it('imports posts, letters, statuses, tags, closed flags and threads, and reports what it skipped', async () => {
    const report = await importWordpress(path.join(FIXTURES, 'wordpress.xml'));
    expect(report.posts).toEqual({ imported: 4, existing: 0 });
    expect(report.comments).toEqual({ imported: 8, existing: 0 });
    expect(Object.fromEntries(report.skipped)).toEqual({
      'items of type “page”': 1,
      'items of type “attachment”': 1,
      'spam comments': 1,
      'trashed comments': 1,
    });
    // Every record left out or changed is listed with its reason.
    expect(report.problems).toEqual([
      'post 101, comment 6: spam comment; not imported',
      'post 101, comment 7: trashed comment; not imported',
      'post 101, comment 8: parent 999 is missing; attached to the post',
      'page 103 “About this site”: items of type “page” are not imported',
      'attachment 104 “header.jpg”: items of type “attachment” are not imported',
    ]);

    const credit = await PostModel.findOne({ slug: 'coworker-takes-credit' }).lean();
    expect(credit).toMatchObject({
      title: 'My coworker takes credit for my spreadsheets',
      status: 'published',
      commentStatus: 'open',
      authorName: 'Marisol Vance',
      tags: ['coworkers', 'credit'],
      commentCount: 5,
      format: 'html',
    });
    expect(credit?.publishedAt?.toISOString()).toBe('2024-05-02T14:30:00.000Z');
    expect(credit?.letterHtml).toBe(
      "<p>I build the team's forecasts.</p>\n<p>My coworker Pat presents them as hers.</p>",
    );
    expect(credit?.answerHtml).toBe(
      '<p>Say so, early and often.</p>\n<p>Send the file to everyone before the meeting.</p>',
    );
    expect(await PostModel.findOne({ slug: 'leave-at-five' }).lean()).toMatchObject({
      commentStatus: 'closed',
      letterHtml: '',
    });
    expect((await PostModel.findOne({ title: 'Half-written draft' }).lean())?.status).toBe('draft');
    expect(await PostModel.findOne({ slug: 'coming-next-week' }).lean()).toMatchObject({
      status: 'scheduled',
    });

    const comments = await CommentModel.find({ post: credit!._id })
      .select('+authorEmail +authorUrl')
      .sort({ number: 1 })
      .lean();
    expect(comments.map((c) => [c.number, c.authorName, c.depth, c.status])).toEqual([
      [1, 'Zoë Ángel', 0, 'visible'],
      [2, '李雷', 1, 'visible'],
      [3, 'Marisol Vance', 2, 'visible'],
      [4, 'Deep Diver', 3, 'visible'],
      [5, 'Pending Pam', 0, 'pending'],
      [6, 'Orphan Otto', 0, 'visible'],
    ]);
    expect(comments[3].ancestors.map(String)).toEqual(comments.slice(0, 3).map((c) => String(c._id)));
    expect(comments[0]).toMatchObject({ authorEmail: 'zoe@example.com', authorUrl: 'http://zoe.example' });
    expect(comments[0].bodyHtml).toBe('<p>This happened to me. Ugh.</p>');
    expect(comments[1].bodyHtml).toContain('the code said "a ]]&gt; b" literally.');
    expect(comments[2].authorKind).toBe('columnist');
    expect(comments[3].bodyHtml).toBe('<p>Fourth level &amp; still going.</p>\n<p>Second paragraph.</p>');
    expect(comments[3].createdAt.toISOString()).toBe('2024-05-02T15:20:00.000Z');

    const five = await PostModel.findOne({ slug: 'leave-at-five' }).lean();
    const fiveComments = await CommentModel.find({ post: five!._id }).sort({ number: 1 }).lean();
    expect(fiveComments.map((c) => c.authorName)).toEqual(['First Fran', 'Early Bird']);

    // The imported thread renders like any other: nested, with the columnist badge, emails hidden.
    const page = cheerio.load((await request(app).get('/posts/coworker-takes-credit').expect(200)).text);
    expect(page('.letter blockquote p').length).toBe(2);
    expect(page(`#comment-${comments[3]._id}`).parents('li.comment')).toHaveLength(3);
    expect(page('.badge--columnist').closest('article').find('.comment__author').text()).toBe(
      'Marisol Vance',
    );
    expect(page.html()).not.toContain('zoe@example.com');
    expect(page('#comments-title').text()).toBe('5 comments');
  });

  it('changes nothing when the same file is imported again, and completes an interrupted import', async () => {
    const posts = await PostModel.countDocuments();
    const again = await importWordpress(path.join(FIXTURES, 'wordpress.xml'));
    expect(again.posts).toEqual({ imported: 0, existing: 4 });
    expect(again.comments).toEqual({ imported: 0, existing: 8 });
    expect(await PostModel.countDocuments()).toBe(posts);
    expect(await CommentModel.countDocuments()).toBe(8);
    expect((await PostModel.findOne({ slug: 'coworker-takes-credit' }).lean())?.commentCount).toBe(5);

    // As if the first run had stopped half way through the comments.
    for (const authorName of ['Deep Diver', 'Orphan Otto']) await CommentModel.deleteOne({ authorName });
    const resumed = await importWordpress(path.join(FIXTURES, 'wordpress.xml'));
    expect(resumed.comments).toEqual({ imported: 2, existing: 6 });
    expect(await CommentModel.countDocuments()).toBe(8);
  });

  it('names the line of malformed XML and keeps what came before it consistent', async () => {
    const error = await importWordpress(path.join(FIXTURES, 'malformed.xml')).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MalformedXmlError);
    expect((error as MalformedXmlError).line).toBe(6);
    expect((error as Error).message).toMatch(/^Malformed XML at line 6, column \d+: /);
    expect(await PostModel.countDocuments({ title: 'Broken' })).toBe(0);
  });
});
