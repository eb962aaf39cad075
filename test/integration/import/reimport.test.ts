import path from 'node:path';
import { CommentModel } from '../../../models/comment';
import { idFor } from '../../../server/services/import/ids';
import { importWordpress } from '../../../server/services/import/wordpress';

const FIXTURES = path.resolve(__dirname, '../../fixtures/import');

describe('importing the same WordPress export again', () => {
  it('gives comments ids that begin with their date, so lists by _id are in time order', async () => {
    await importWordpress(path.join(FIXTURES, 'wordpress.xml'));
    const comments = await CommentModel.find({}).lean();
    expect(comments.length).toBeGreaterThan(0);
    for (const c of comments) {
      expect(c._id.getTimestamp().getTime()).toBe(Math.floor(new Date(c.createdAt).getTime() / 1000) * 1000);
    }
  });

  it('adds nothing, also over comments an older version imported under other ids', async () => {
    await CommentModel.deleteMany({});
    await importWordpress(path.join(FIXTURES, 'wordpress.xml'));
    const before = await CommentModel.find({}).lean();
    // As the version before dated ids left them: the same comments under plain hashed ids.
    await CommentModel.deleteMany({});
    await CommentModel.insertMany(before.map((c) => ({ ...c, _id: idFor(c.sourceKey) })));

    const report = await importWordpress(path.join(FIXTURES, 'wordpress.xml'));
    expect(report.comments.imported).toBe(0);
    expect(report.comments.existing).toBe(before.length);
    expect(await CommentModel.countDocuments({})).toBe(before.length);
  });
});
