import { linkMentions, mentionedNames } from '../../../server/lib/mentions';

describe('@mentions (server/lib/mentions.ts)', () => {
  it('finds names outside code, lowercased, once each, five at most', () => {
    expect(mentionedNames('Thanks @Nadia_K, and @nadia_k again. Ask @bob.')).toEqual(['nadia_k', 'bob']);
    expect(mentionedNames('Not `@code` nor\n```\n@block\n```\nbut @Émile')).toEqual(['émile']);
    expect(mentionedNames('mail me at x@example.com or @a (too short)')).toEqual([]);
    expect(mentionedNames('@aa1 @bb2 @cc3 @dd4 @ee5 @ff6 @gg7')).toEqual(['aa1', 'bb2', 'cc3', 'dd4', 'ee5']);
  });

  it('links the known accounts in rendered HTML, not inside links, code or pre', () => {
    const accounts = new Map([['nadia_k', 'Nadia_K']]);
    expect(linkMentions('<p>Hi @nadia_k, and @nobody.</p>', accounts)).toBe(
      '<p>Hi <a class="mention" href="/users/Nadia_K">@nadia_k</a>, and @nobody.</p>',
    );
    expect(linkMentions('<p><code>@nadia_k</code> <a href="/x">@nadia_k</a></p>', accounts)).toBe(
      '<p><code>@nadia_k</code> <a href="/x">@nadia_k</a></p>',
    );
    expect(linkMentions('<pre><code>@nadia_k\n</code></pre>', accounts)).toBe(
      '<pre><code>@nadia_k\n</code></pre>',
    );
  });
});
