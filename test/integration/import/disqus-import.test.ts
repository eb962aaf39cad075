import path from 'node:path';
import { CommentModel } from '../../../models/comment';
import { PostModel } from '../../../models/post';
import { importDisqus } from '../../../server/services/import/disqus';
import { importWordpress } from '../../../server/services/import/wordpress';
import '../../setup/app';

const FIXTURES = path.join(__dirname, '../../fixtures/import');

describe('Disqus import', () => {
  beforeAll(async () => {
    await importWordpress(path.join(FIXTURES, 'wordpress.xml'));
  });

  it('matches threads by link and by WordPress identifier, keeps parents, skips deleted and spam, reports unmatched threads', async () => {
    const report = await importDisqus(path.join(FIXTURES, 'disqus.xml'));
    expect(report.comments).toEqual({ imported: 4, existing: 0 });
    expect(Object.fromEntries(report.skipped)).toEqual({
      'deleted comments': 1,
      'spam comments': 1,
      'comments on unmatched threads': 1,
    });
    expect(report.problems).toEqual([
      'Disqus thread 502 (http://old.example/2023/01/a-post-that-never-came-over/) matches no post; its comments were skipped',
    ]);
    const credit = await PostModel.findOne({ slug: 'coworker-takes-credit' }).lean();
    const fromDisqus = await CommentModel.find({ post: credit!._id, sourceKey: /^disqus:/ } as never)
      .sort({ number: 1 })
      .lean();
    expect(fromDisqus.map((c) => [c.number, c.authorName, c.depth])).toEqual([
      [7, 'Disqus Dana', 0],
      [8, 'Disqus Dev', 1],
      [9, 'Disqus Dora', 2],
    ]);
    expect(fromDisqus[2].ancestors.map(String)).toEqual([
      String(fromDisqus[0]._id),
      String(fromDisqus[1]._id),
    ]);
    expect(credit?.commentCount).toBe(8);
    const five = await PostModel.findOne({ slug: 'leave-at-five' }).lean();
    expect(await CommentModel.countDocuments({ post: five!._id })).toBe(3);

    const again = await importDisqus(path.join(FIXTURES, 'disqus.xml'));
    expect(again.comments).toEqual({ imported: 0, existing: 4 });
    expect((await PostModel.findOne({ slug: 'coworker-takes-credit' }).lean())?.commentCount).toBe(8);
  });
});
