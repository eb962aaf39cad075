import { SaxesParser } from 'saxes';
import request from 'supertest';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildTestApp } from '../../setup/app';

/** Parses strictly (any well-formedness error throws) and collects element texts. */
function parseXml(xml: string): { root: string; texts: Record<string, string[]> } {
  const parser = new SaxesParser({ xmlns: true });
  const texts: Record<string, string[]> = {};
  const stack: string[] = [];
  let root = '';
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    if (!root) root = tag.name;
    stack.push(tag.name);
  });
  parser.on('closetag', () => void stack.pop());
  parser.on('text', (text) => {
    const name = stack[stack.length - 1];
    if (name && text.trim()) (texts[name] ??= []).push(text);
  });
  parser.write(xml).close();
  return { root, texts };
}

describe('feeds', () => {
  const { app, services } = buildTestApp();

  it('serves an RSS 2.0 feed of posts that parses as XML', async () => {
    await buildPost({
      title: 'Feeds & <things> “quoted”',
      answerHtml: '<p>Answer with <em>markup</em> & more</p>',
    });
    const res = await request(app).get('/feed.xml').expect(200);
    expect(res.type).toBe('application/rss+xml');
    const { root, texts } = parseXml(res.text);
    expect(root).toBe('rss');
    expect(texts.title).toContain('Feeds & <things> “quoted”');
    expect(texts.description.some((d) => d.includes('<em>markup</em>'))).toBe(true);
  });

  it('serves a feed of one post’s comments', async () => {
    const post = await buildPost({ title: 'Comment feed post' });
    await postComment(services, post, { name: 'Feed <Fan>', body: 'I & you' });
    const res = await request(app).get(`/posts/${post.slug}/comments.xml`).expect(200);
    const { texts } = parseXml(res.text);
    expect(texts.title).toContain('#1 by Feed <Fan>');
    expect(texts.description.some((d) => d.includes('I &amp; you') || d.includes('I & you'))).toBe(true);
    await request(app).get('/posts/nope/comments.xml').expect(404);
  });
});
