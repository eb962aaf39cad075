/**
 * Many writers at once on one database, as a busy site has them (comments, visits, the search
 * index, an import): no write fails because another committed first. FerretDB's write
 * transactions read before they write; begun DEFERRED, SQLite refused such a transaction at once
 * with SQLITE_BUSY when another connection had committed meanwhile (about one write in 10,000 here;
 * an import once failed at its start with it, and a test's page write once got a 500). They begin
 * IMMEDIATE now, and wait for the lock instead.
 */
import mongoose from 'mongoose';
import '../setup/app';

describe('faults: 24 writers at once on one database', () => {
  jest.setTimeout(60000);

  it('no write is refused with SQLITE_BUSY ("database is locked")', async () => {
    const db = mongoose.connection.db!;
    const failures: string[] = [];
    let writes = 0;
    const until = Date.now() + 6000;
    await Promise.all(
      Array.from({ length: 24 }, async (_, w) => {
        for (let n = 1; Date.now() < until; n += 1) {
          const coll = db.collection(`writes${(w + n) % 6}`);
          try {
            if (n % 3 === 0)
              await coll.updateOne(
                { _id: `w${w}:${n % 5}` as never },
                { $set: { at: new Date(), tags: ['a', String(n)] } },
                { upsert: true },
              );
            else
              await coll.insertMany(
                Array.from({ length: 50 }, (_, k) => ({
                  k,
                  w,
                  tags: [String(k)],
                  ancestors: [n, k],
                  text: 'x'.repeat(300),
                })),
              );
            writes += 1;
          } catch (err) {
            failures.push((err as Error).message);
          }
        }
      }),
    );
    expect(writes).toBeGreaterThan(500);
    expect(failures.filter((m) => /SQLITE_BUSY|database is locked/.test(m))).toEqual([]);
    expect(failures).toEqual([]);
    console.log(`[faults] ${writes} writes by 24 writers in 6 s, none refused`);
  });
});
