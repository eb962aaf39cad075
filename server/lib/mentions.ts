/**
 * @mentions in a comment's Markdown: `@name`, where name is an account's username without spaces
 * (letters, digits, dots, dashes, underscores; 3 to 30 characters, as usernames are). Names with
 * spaces cannot be mentioned: "@Jane Doe" would be ambiguous.
 */
const MENTION = /(^|[^\p{L}\p{N}_@./-])@([\p{L}\p{N}][\p{L}\p{N}._-]{1,28}[\p{L}\p{N}])/gu;

/** At most this many accounts are linked and told per comment (a list of names is not a message). */
export const MENTIONS_PER_COMMENT = 5;

/** The names mentioned in Markdown source (outside code), lowercased, first ones first, unique. */
export function mentionedNames(source: string): string[] {
  const prose = source.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const names: string[] = [];
  for (const match of prose.matchAll(MENTION)) {
    const name = match[2].toLowerCase();
    if (!names.includes(name)) names.push(name);
    if (names.length === MENTIONS_PER_COMMENT) break;
  }
  return names;
}

/**
 * Links the mentions of known accounts in rendered comment HTML (keyed by lowercased name, to the
 * username as written on the account), outside links, code and pre. The HTML is our own sanitized
 * output; names are letters, digits and . _ - only, so the link needs no escaping beyond encodeURI.
 */
export function linkMentions(html: string, accounts: ReadonlyMap<string, string>): string {
  if (!accounts.size) return html;
  let inside = 0; // depth of a, code and pre elements
  return html
    .split(/(<[^>]+>)/)
    .map((part) => {
      const tag = /^<(\/?)(a|code|pre)\b/i.exec(part);
      if (tag) {
        inside += tag[1] ? -1 : 1;
        return part;
      }
      if (part.startsWith('<') || inside > 0) return part;
      return part.replace(MENTION, (whole, before: string, name: string) => {
        const username = accounts.get(name.toLowerCase());
        if (!username) return whole;
        return `${before}<a class="mention" href="/users/${encodeURIComponent(username)}">@${name}</a>`;
      });
    })
    .join('');
}
