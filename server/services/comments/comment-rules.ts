import { decodeHTML } from 'entities';
import type { Config } from '../../config/index.js';
import { foldText } from '../../lib/fold-text.js';

export interface Screening {
  /** Set when the comment must be refused outright, with the message for the writer. */
  refuse?: string;
  /** Set when the comment goes to the moderation queue, with the reason moderators see. */
  hold?: string;
}

/** The words of a text, in order: lower case, compatibility forms folded, curly apostrophes straight. */
function tokens(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}']+/gu) ?? [];
}

/** The text a reader sees: the rendered HTML without its tags, entities decoded. */
function shownText(html: string): string {
  return decodeHTML(html.replace(/<[^>]*>/g, ''));
}

/**
 * Which entries of the list the comment uses, as a reader would read it: in what was typed and in
 * what it renders to (an entity or Markdown emphasis cannot hide a word), each entry as whole
 * words in order, whatever the spacing between them ("free money" is not in "carefree moneylender").
 */
function matches(seen: string[][], list: string[]): string[] {
  if (list.length === 0) return [];
  const present = new Set(seen.flat());
  return list.filter((entry) => {
    const wanted = tokens(entry);
    if (wanted.length === 0) return false;
    if (wanted.length === 1) return present.has(wanted[0]);
    return seen.some((words) => words.some((_, i) => wanted.every((word, j) => words[i + j] === word)));
  });
}

/**
 * The publication rules, applied to a new comment: banned words refuse it;
 * too many links, suspect words or a first comment hold it for a moderator.
 */
export function screenComment(
  input: { body: string; html: string; isFirstComment: boolean; trusted: boolean },
  config: Pick<Config, 'bannedWords' | 'suspectWords' | 'holdLinksOver' | 'holdFirstComment'>,
): Screening {
  // The words of what was typed and of what it renders to, read once for both lists.
  const texts = [tokens(input.body), tokens(shownText(input.html))];
  const banned = matches(texts, config.bannedWords);
  if (banned.length) {
    return {
      refuse: `Your comment uses words that are not allowed here (${banned.join(', ')}). Please rephrase it.`,
    };
  }
  if (input.trusted) return {};
  const links = (input.html.match(/<a\s/g) ?? []).length;
  if (links > config.holdLinksOver) {
    return { hold: `${links} link${links === 1 ? '' : 's'} (more than ${config.holdLinksOver})` };
  }
  const suspect = matches(texts, config.suspectWords);
  if (suspect.length) return { hold: `suspect words: ${suspect.join(', ')}` };
  if (config.holdFirstComment && input.isFirstComment) return { hold: 'first comment' };
  return {};
}
