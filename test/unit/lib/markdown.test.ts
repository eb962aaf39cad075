import * as cheerio from 'cheerio';
import { plainExcerpt, renderCommentMarkdown, renderPostMarkdown } from '../../../server/lib/markdown';

describe('renderCommentMarkdown', () => {
  it('renders the comment subset', () => {
    const html = renderCommentMarkdown('*em* **strong**\n\n> quoted\n\n- one\n- two\n\n`code`');
    const $ = cheerio.load(html);
    expect($('em').text()).toBe('em');
    expect($('strong').text()).toBe('strong');
    expect($('blockquote').text().trim()).toBe('quoted');
    expect($('li')).toHaveLength(2);
    expect($('code').text()).toBe('code');
  });

  it('gives links rel="nofollow ugc"', () => {
    const $ = cheerio.load(renderCommentMarkdown('[site](https://example.com/a)'));
    expect($('a').attr('href')).toBe('https://example.com/a');
    expect($('a').attr('rel')).toBe('nofollow ugc');
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['an onerror attribute', '<img src=x onerror="alert(1)">'],
    ['a javascript: link', '[click](javascript:alert(1))'],
    ['a javascript: link in HTML', '<a href="javascript:alert(1)">click</a>'],
    ['a data: link', '[click](data:text/html;base64,PHNjcmlwdD4=)'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>'],
    ['a style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
  ])('never returns %s as something executable', (_label, input) => {
    const html = renderCommentMarkdown(input);
    const $ = cheerio.load(html);
    expect($('script, iframe, img, [onerror], [style]')).toHaveLength(0);
    $('a').each((_, el) => expect($(el).attr('href') ?? '').not.toMatch(/^(javascript|data):/i));
    expect(html).not.toMatch(/<script|<[^>]*\sonerror=|<a[^>]*href="javascript:/i);
  });

  it('shows typed HTML as text', () => {
    expect(renderCommentMarkdown('I <b>love</b> this')).toBe('<p>I &lt;b&gt;love&lt;/b&gt; this</p>');
  });

  it('drops headings and images from comments but keeps their text', () => {
    const $ = cheerio.load(renderCommentMarkdown('# Big\n\n![alt](https://example.com/x.png)'));
    expect($('h1, img')).toHaveLength(0);
    expect($.text()).toContain('Big');
  });
});

describe('renderPostMarkdown', () => {
  it('allows headings and images, still sanitized', () => {
    const $ = cheerio.load(
      renderPostMarkdown('## Part two\n\n![chart](https://example.com/c.png)\n\n<script>x</script>'),
    );
    expect($('h2').text()).toBe('Part two');
    expect($('img').attr('src')).toBe('https://example.com/c.png');
    expect($('script')).toHaveLength(0);
  });
});

describe('plainExcerpt', () => {
  it('strips tags and cuts at a word', () => {
    expect(plainExcerpt('<p>Hello <em>there</em> &amp; welcome</p>')).toBe('Hello there & welcome');
    const long = plainExcerpt(`<p>${'word '.repeat(100)}</p>`, 50);
    expect(long.length).toBeLessThanOrEqual(51);
    expect(long.endsWith('word…')).toBe(true);
  });
});
