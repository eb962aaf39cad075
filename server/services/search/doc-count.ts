import { SearchDocModel, SearchStatModel } from '../../../models/search.js';
import { upsertOne } from '../../db/upsert.js';

const ID = 'docs';

/**
 * How many documents the index holds (BM25's N). Counting them is a scan of the whole collection on
 * the embedded database (75 s of a core at a million, which every query then waits behind), so the
 * index keeps a counter: each batch adds what it inserted and takes off what it removed, a rebuild
 * starts it at 0, and an index written before there was one is counted once, by a migration at boot.
 * The embedded database can lose one of two concurrent updates of a document, so on several
 * processes the counter may drift a little until the next rebuild; IDF hardly notices.
 */
export const docCount = {
  async add(n: number): Promise<void> {
    if (n) await upsertOne(SearchStatModel, { _id: ID }, { $inc: { n } });
  },

  async set(n: number): Promise<void> {
    await upsertOne(SearchStatModel, { _id: ID }, { $set: { n } });
  },

  /** The counter (null before there is one). */
  async read(): Promise<number | null> {
    const stat = await SearchStatModel.findById(ID).lean<{ n: number }>();
    return stat ? Math.max(0, stat.n) : null;
  },

  /** Counts the documents the slow way, once (the migration for an index without a counter). */
  async recount(): Promise<void> {
    await docCount.set(await SearchDocModel.countDocuments());
  },
};
