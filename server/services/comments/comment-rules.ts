import type { Config } from '../../config/index.js';

export interface Screening {
  /** Set when the comment must be refused outright, with the message for the writer. */
  refuse?: string;
  /** Set when the comment goes to the moderation queue, with the reason moderators see. */
  hold?: string;
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []);
}

function matches(text: string, list: string[]): string[] {
  if (list.length === 0) return [];
  const lower = text.toLowerCase();
  const present = words(text);
  // Single words match whole words; phrases match as written.
  return list.filter((entry) => (entry.includes(' ') ? lower.includes(entry) : present.has(entry)));
}

/**
 * The publication rules, applied to a new comment: banned words refuse it;
 * too many links, suspect words or a first comment hold it for a moderator.
 */
export function screenComment(
  input: { body: string; html: string; isFirstComment: boolean; trusted: boolean },
  config: Pick<Config, 'bannedWords' | 'suspectWords' | 'holdLinksOver' | 'holdFirstComment'>,
): Screening {
  const banned = matches(input.body, config.bannedWords);
  if (banned.length) {
    return {
      refuse: `Your comment uses words that are not allowed here (${banned.join(', ')}). Please rephrase it.`,
    };
  }
  if (input.trusted) return {};
  const links = (input.html.match(/<a\s/g) ?? []).length;
  if (links > config.holdLinksOver) return { hold: `${links} links (more than ${config.holdLinksOver})` };
  const suspect = matches(input.body, config.suspectWords);
  if (suspect.length) return { hold: `suspect words: ${suspect.join(', ')}` };
  if (config.holdFirstComment && input.isFirstComment) return { hold: 'first comment' };
  return {};
}
