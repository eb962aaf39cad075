import { LegacyUrlModel } from '../../../models/legacy-url.js';
import type { Post } from '../../../models/post.js';
import { legacyPathKey } from '../../lib/legacy-path.js';
import type { ImportReport } from './report.js';
import { textOf, type XmlNode } from './xml-stream.js';

/**
 * Records the addresses a WordPress post was known by, so they answer 301 to its page here: its
 * own link, `?p=ID`, and the permalink shapes WordPress offers (`/slug/`, `/2011/01/slug/`,
 * `/2011/01/10/slug/`, `/2011/01/slug.html`, `/archives/ID`), dated as the site showed them.
 */
export async function recordLegacyUrls(
  post: Pick<Post, '_id' | 'slug'>,
  item: XmlNode,
  baseUrl: string,
  report: ImportReport,
): Promise<void> {
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
  if (name) {
    const slug = legacyPathKey(`/${name}`);
    if (slug) paths.add(slug);
    if (date) {
      const [, y, m, d] = date;
      for (const shape of [`/${y}/${m}/${d}${slug}`, `/${y}/${m}${slug}`, `/${y}/${m}${slug}.html`]) {
        paths.add(shape);
      }
    }
  }
  paths.add(`/archives/${id}`);
  await LegacyUrlModel.bulkWrite(
    [...paths].map((path) => ({
      updateOne: { filter: { _id: path }, update: { $set: { post: post._id } }, upsert: true },
    })),
    { ordered: false },
  );
  if (link) report.url(link, `/posts/${post.slug}`);
}
