import { legacyPathKey } from '../../../../server/lib/legacy-path';
import { fitTitle } from '../../../../server/services/import/wordpress';
import { wordpressContent } from '../../../../server/services/import/wordpress-content';

describe('wordpressContent', () => {
  it('keeps bracketed text that is not a shortcode, and drops plugin and media codes with a count', () => {
    const { answerHtml, changes } = wordpressContent(
      'He said [sic] it was fine […].\n\n[gallery ids="1,2"]\n\n[audio src="https://x.example/a.mp3"]\n\n[gallery]',
    );
    expect(answerHtml).toBe('<p>He said [sic] it was fine […].</p>');
    expect(changes).toEqual([
      'dropped shortcode [gallery]',
      'dropped shortcode [audio]',
      'dropped shortcode [gallery]',
    ]);
  });

  it('uses WordPress’s own excerpt first, then the letter before <!--more-->', () => {
    const raw = 'A reader writes:\n\n<blockquote>My letter.</blockquote>\n<!--more Read on-->\nMy answer.';
    expect(wordpressContent(raw).excerpt).toBe('My letter.');
    expect(wordpressContent(raw, 'Hand-written teaser.').excerpt).toBe('Hand-written teaser.');
    expect(wordpressContent(raw)).toMatchObject({
      letterHtml: '<p>My letter.</p>',
      answerHtml: '<p>My answer.</p>',
    });
  });

  it('turns an [embed] and a URL alone on its line into links, never an iframe', () => {
    const { answerHtml } = wordpressContent(
      '[embed]https://vimeo.com/1[/embed]\n\nhttps://example.com/talk\n\n<iframe src="https://evil.example"></iframe>',
    );
    expect(answerHtml).toBe(
      '<p><a href="https://vimeo.com/1">https://vimeo.com/1</a></p>\n<p><a href="https://example.com/talk">https://example.com/talk</a></p>',
    );
  });
});

describe('wordpressContent, on what plugins and the block editor write', () => {
  it("keeps the text a plugin's wrapping shortcode held, and says so", () => {
    const { answerHtml, changes } = wordpressContent('[su_box title="Note"]Keep this.[/su_box]');
    expect(answerHtml).toBe('<p>Keep this.</p>');
    expect(changes).toEqual(['removed shortcode [su_box], kept its text']);
  });

  it('reads block attributes as JSON (& is \\u0026) and makes a linked thumbnail one link', () => {
    const embed =
      '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=x\\u0026t=30"} -->\n<figure><div>x</div></figure>\n<!-- /wp:embed -->';
    expect(wordpressContent(embed).answerHtml).toBe(
      '<p><a href="https://www.youtube.com/watch?v=x&amp;t=30">https://www.youtube.com/watch?v=x&amp;t=30</a></p>',
    );
    const thumb =
      '<a href="https://old.example/full.jpg"><img src="https://old.example/thumb.jpg" alt="Desk" /></a>';
    expect(wordpressContent(thumb).answerHtml).toBe(
      '<p><a href="https://old.example/full.jpg">Image: Desk</a></p>',
    );
  });
});

describe('fitTitle', () => {
  it('decodes entities, and cuts a title past the limit at a word, marked', () => {
    expect(fitTitle('Q&amp;A: my boss&#8217;s door')).toEqual({ title: 'Q&A: my boss’s door', cut: false });
    const { title, cut } = fitTitle(`${'word '.repeat(100)}end`);
    expect(cut).toBe(true);
    expect(title.length).toBeLessThanOrEqual(300);
    expect(title).toMatch(/word…$/);
  });
});

describe('legacyPathKey', () => {
  it('folds the shapes of one old address together', () => {
    for (const path of [
      '/2011/01/Slug/',
      '/2011/01/slug',
      '/index.php/2011/01/slug/',
      '/2011/01/slug/comment-page-3/',
      '/2011/01/slug/amp/',
    ]) {
      expect(legacyPathKey(path)).toBe('/2011/01/slug');
    }
    expect(legacyPathKey('/', '?p=123&foo=1')).toBe('?p=123');
    expect(legacyPathKey('/', '?page_id=7')).toBe('?p=7');
    expect(legacyPathKey('/%E0%A4%A')).toBeNull();
  });
});
