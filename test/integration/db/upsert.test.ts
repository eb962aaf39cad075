import { MailAddressModel } from '../../../models/mail-address';
import { isDuplicateKey, upsertOne } from '../../../server/db/upsert';
import '../../setup/app';

describe('upsertOne: creating one document from several processes at once', () => {
  beforeEach(async () => {
    await MailAddressModel.deleteMany({});
  });

  it('every one of many concurrent upserts of the same new document resolves, and the document is written once', async () => {
    // On the embedded database, a plain updateOne with upsert refuses all but one of these with a
    // duplicate key (CI saw it: two processes' migrations recording the search document count).
    for (let round = 0; round < 5; round += 1) {
      const address = `race-${round}@example.com`;
      const writes = Array.from({ length: 8 }, (_, i) =>
        upsertOne(MailAddressModel, { _id: address }, { $set: { askedAt: new Date(1000 * i) } }),
      );
      await expect(Promise.all(writes)).resolves.toHaveLength(8);
      expect(await MailAddressModel.countDocuments({ _id: address })).toBe(1);
    }
  });

  it('other errors are the caller’s: a document the schema refuses is not retried into the database', async () => {
    await expect(
      upsertOne(MailAddressModel, { _id: 'x@example.com' }, { $set: { askedAt: 'not a date' } }),
    ).rejects.toThrow();
    expect(await MailAddressModel.exists({ _id: 'x@example.com' })).toBeNull();
  });

  it('tells a duplicate key from anything else', () => {
    expect(isDuplicateKey({ code: 11000 })).toBe(true);
    expect(isDuplicateKey({ code: 121 })).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
    expect(isDuplicateKey(new Error('E11000'))).toBe(false);
    // The embedded database's answer to an update a unique index refuses.
    expect(
      isDuplicateKey({
        code: 1,
        message:
          "[collection.go:203 sqlite.(*collection).UpdateAll.func1] constraint failed: UNIQUE constraint failed: index 'posts_4c2edfdc_slug_1' (2067)",
      }),
    ).toBe(true);
    expect(isDuplicateKey({ code: 1, message: 'some other internal error' })).toBe(false);
  });
});
