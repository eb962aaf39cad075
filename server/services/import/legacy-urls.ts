import { LegacyUrlModel } from '../../../models/legacy-url.js';
import type { Post } from '../../../models/post.js';
import { legacyPathKey } from '../../lib/legacy-path.js';
import type { ImportReport } from './report.js';
import { onlyDuplicateKeys } from './writer.js';
import { textOf, type XmlNode } from './xml-stream.js';

/**
 * Records the addresses WordPress posts were known by, so they answer 301 to their page here: each
 * post's own link, `?p=ID`, and the permalink shapes WordPress offers (`/slug/`, `/2011/01/slug/`,
 * `/2011/01/10/slug/`, `/2011/01/slug.html`, `/archives/ID`), dated as the site showed them.
 * Written a few thousand at a time in the background, like the comments; an address already
 * recorded (a second run, or two posts claiming one) keeps the post it had.
 */
export class LegacyUrlWriter {
  private pending: { _id: string; post: Post['_id'] }[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly batchSize = 2000) {}

  add(post: Pick<Post, '_id' | 'slug'>, item: XmlNode, baseUrl: string, report: ImportReport): void {
    const id = textOf(item, 'wp:post_id');
    const name = textOf(item, 'wp:post_name');
    const link = textOf(item, 'link');
    const paths = new Set<string>([`?p=${id}`]);
    if (link) {
      try {
        const url = new URL(link, baseUrl || 'http://old.invalid');
        const key = legacyPathKey(url.pathname, url.search);
        if (key) paths.add(key);
      } catch {
        report.problem(`post ${id}: its link “${link}” is not an address; only ?p=${id} is kept`);
      }
    }
    const date = /^(\d{4})-(\d\d)-(\d\d)/.exec(textOf(item, 'wp:post_date'));
    const slug = name ? legacyPathKey(`/${name}`) : null;
    if (slug) {
      paths.add(slug);
      if (date) {
        const [, y, m, d] = date;
        for (const shape of [`/${y}/${m}/${d}${slug}`, `/${y}/${m}${slug}`, `/${y}/${m}${slug}.html`]) {
          paths.add(shape);
        }
      }
    }
    paths.add(`/archives/${id}`);
    for (const path of paths) this.pending.push({ _id: path, post: post._id });
    if (link) report.url(link, `/posts/${post.slug}`);
    if (this.pending.length >= this.batchSize) this.flush();
  }

  async close(): Promise<void> {
    this.flush();
    await this.writing;
  }

  private flush(): void {
    const docs = this.pending;
    this.pending = [];
    if (!docs.length) return;
    this.writing = this.writing.then(() => insertNew(docs));
    // Handled here so a failure is not "unhandled" while it waits; close() throws it.
    this.writing.catch(() => undefined);
  }
}

/** Inserts the addresses not recorded yet; ones already there are left as they are. */
async function insertNew(docs: { _id: string; post: Post['_id'] }[]): Promise<void> {
  try {
    await LegacyUrlModel.insertMany(docs, { ordered: false, lean: true });
  } catch (err) {
    if (!onlyDuplicateKeys(err)) throw err;
  }
}
