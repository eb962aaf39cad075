/**
 * Writes a synthetic WordPress export: `npx tsx tools/generate-wxr.ts FILE POSTS COMMENTS_PER_POST [--realistic]`.
 * Threads several levels deep, some pending comments. Used by the memory test and the import benchmark.
 * Dated as a column's archive is: posts a few hours apart, oldest first (as WordPress exports
 * them), each post's comments in the hours after it.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { commentBodies } from './realistic-text';

/**
 * `realistic`: comment bodies of a real column's lengths (median about 400 characters, a tail to
 * the 5,000 limit) with Zipf-distributed words (tools/realistic-text.ts); else one short line each.
 */
export async function generateWxr(
  file: string,
  posts: number,
  perPost: number,
  { realistic = false }: { realistic?: boolean } = {},
): Promise<void> {
  const body = realistic ? commentBodies() : null;
  const out = createWriteStream(file, 'utf8');
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated</title><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>columnist</wp:author_login><wp:author_email>columnist@example.com</wp:author_email><wp:author_display_name>The Columnist</wp:author_display_name></wp:author>
`);
  let id = 0;
  const start = Date.UTC(2014, 0, 1);
  const postSpacing = Math.max(3600000, Math.floor((10 * 365 * 86400000) / Math.max(posts, 1)));
  const gmt = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  for (let p = 1; p <= posts; p += 1) {
    const postAt = start + (p - 1) * postSpacing;
    await write(`<item><title>Generated question ${p}</title><dc:creator>columnist</dc:creator>
<content:encoded><![CDATA[<p>A reader writes:</p><blockquote>Question number ${p}, with some words to make it realistic.</blockquote><p>The answer to question ${p}.</p>]]></content:encoded>
<wp:post_id>${p}</wp:post_id><wp:post_date_gmt>${gmt(postAt)}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>
<wp:post_name>generated-question-${p}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
`);
    const first = id + 1;
    for (let c = 0; c < perPost; c += 1) {
      id += 1;
      // Every fifth starts a thread; the rest reply to one of the last few comments of this post.
      const parent = c % 5 === 0 || id - first < 1 ? 0 : id - 1 - ((c * 7) % Math.min(4, id - first));
      await write(`<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>Reader ${c % 97}</wp:comment_author><wp:comment_author_email>r${c % 97}@example.com</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url><wp:comment_date_gmt>${gmt(postAt + (c + 1) * 420000)}</wp:comment_date_gmt><wp:comment_content><![CDATA[${body ? body() : `Comment ${c} on post ${p}. I think the columnist is right about this one, mostly.`}]]></wp:comment_content><wp:comment_approved>${c % 50 === 49 ? 0 : 1}</wp:comment_approved><wp:comment_parent>${parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>
`);
    }
    await write('</item>\n');
  }
  await write('</channel></rss>\n');
  out.end();
  await once(out, 'finish');
}

if (require.main === module) {
  const [file, posts, perPost] = process.argv.slice(2);
  generateWxr(file, Number(posts), Number(perPost), { realistic: process.argv.includes('--realistic') }).then(
    () => console.log(`wrote ${file}: ${posts} posts × ${perPost} comments`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
