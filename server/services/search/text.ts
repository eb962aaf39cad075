import { plainText } from '../../lib/plain-text.js';
import nlp from 'wink-nlp-utils';
import { foldText } from '../../lib/fold-text.js';

/**
 * Text for search: words are lower-cased, folded (NFKC, accents kept), split by wink-nlp-utils'
 * tokenizer, stop words dropped and stemmed with the Porter2 stemmer ("managers", "managing" and
 * "manager" are all "manag"). The same analysis serves the index and the query.
 */

/** A word as typed, folded for matching in the source text (phrases, highlights). */
export function fold(word: string): string {
  return foldText(word);
}

/** The words of a text, in order, as the tokenizer sees them (no stop-word removal, no stemming). */
export function words(text: string): string[] {
  return nlp.string
    .tokenize0(fold(text).replace(/[_*`#>~|[\]()]/g, ' '))
    .filter((w) => /[a-z0-9]/.test(w) || /[\p{L}\p{N}]/u.test(w));
}

/**
 * Stems of words seen before: stemming is most of the cost of indexing, and a few thousand words
 * make up most of any text. Bounded: emptied when it holds 200,000.
 */
const stemCache = new Map<string, string>();
const STOP = '\u0000';

function stemOf(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    const [kept] = nlp.tokens.removeWords([word]);
    stem = kept === undefined ? STOP : (nlp.tokens.stem([kept])[0] ?? STOP);
    if (stemCache.size >= 200000) stemCache.clear();
    stemCache.set(word, stem);
  }
  return stem;
}

/** Stems of a text's words, stop words dropped, in order. */
export function stems(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    const stem = stemOf(word);
    if (stem !== STOP && stem.length > 0 && stem.length <= 40) out.push(stem);
  }
  return out;
}

/**
 * Whether the text has every one of these stems and none of those: its words stemmed in order,
 * stopping as soon as the answer is known (a post's title usually has the words a search found).
 */
export function hasStems(text: string, include: string[], exclude: string[]): boolean {
  const missing = new Set(include);
  const unwanted = new Set(exclude);
  // A thousand characters at a time, cut at a space, so a long text found by its first words is
  // not split into words to the end.
  for (let start = 0; start < text.length; ) {
    let end = start + 1000 >= text.length ? text.length : text.indexOf(' ', start + 1000);
    if (end < 0) end = text.length;
    for (const word of words(text.slice(start, end))) {
      const stem = stemOf(word);
      if (unwanted.has(stem)) return false;
      missing.delete(stem);
      if (!missing.size && !unwanted.size) return true;
    }
    start = end + 1;
  }
  return missing.size === 0;
}

/** Term frequencies of weighted fields (a post's title counts more than its answer). */
export function termFrequencies(fields: { text: string; weight: number }[]): {
  tf: Map<string, number>;
  length: number;
} {
  const tf = new Map<string, number>();
  let length = 0;
  for (const { text, weight } of fields) {
    for (const stem of stems(text)) {
      tf.set(stem, (tf.get(stem) ?? 0) + weight);
      length += weight;
    }
  }
  return { tf, length };
}

export { plainText };

export interface ParsedQuery {
  /** Stems every result must have (the words outside quotes, and the words of phrases). */
  include: string[];
  /** Stems no result may have (`-word`). */
  exclude: string[];
  /** Quoted phrases, as folded word sequences, matched in the text itself. */
  phrases: string[][];
  /** The folded words to highlight in snippets. */
  highlight: string[];
}

/** `credit "took the credit" -manager`: words, quoted phrases and excluded words. */
export function parseQuery(q: string): ParsedQuery {
  const include = new Set<string>();
  const exclude = new Set<string>();
  const phrases: string[][] = [];
  const highlight = new Set<string>();
  const source = q.slice(0, 500);
  const pattern = /(-?)"([^"]*)"?|(\S+)/g;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const [, minus, quoted, bare] = match;
    if (quoted !== undefined) {
      const phrase = words(quoted);
      if (minus) {
        stems(quoted).forEach((s) => exclude.add(s));
        continue;
      }
      stems(quoted).forEach((s) => include.add(s));
      phrase.forEach((w) => highlight.add(w));
      // At most four phrases, each once: every one is checked against each candidate's text.
      const key = phrase.join(' ');
      if (phrase.length > 1 && phrases.length < 4 && !phrases.some((p) => p.join(' ') === key))
        phrases.push(phrase);
      continue;
    }
    const negative = bare.startsWith('-') && bare.length > 1;
    const text = negative ? bare.slice(1) : bare;
    const found = stems(text);
    if (negative) found.forEach((s) => exclude.add(s));
    else {
      found.forEach((s) => include.add(s));
      words(text).forEach((w) => highlight.add(w));
    }
  }
  for (const s of exclude) include.delete(s);
  return {
    include: [...include].slice(0, 8),
    exclude: [...exclude].slice(0, 8),
    phrases,
    highlight: [...highlight],
  };
}

/** Whether the text (or its words, split once for several phrases) has the phrase's words in a row. */
export function hasPhrase(text: string | string[], phrase: string[]): boolean {
  const all = typeof text === 'string' ? words(text) : text;
  return all.some((_, i) => phrase.every((w, j) => all[i + j] === w));
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  );
}

/**
 * A short extract of the text around the first matched word, HTML-escaped, with the words that
 * match the query (by stem, so "managers" marks "manager") wrapped in <mark>. Safe to print raw.
 */
export function snippet(text: string, query: Pick<ParsedQuery, 'include' | 'highlight'>, size = 240): string {
  const wanted = new Set(query.include);
  const typed = new Set(query.highlight);
  const known = new Map<string, boolean>();
  const isMatch = (word: string) => {
    let match = known.get(word);
    if (match === undefined) {
      const folded = fold(word);
      match = typed.has(folded) || wanted.has(stemOf(folded));
      known.set(word, match);
    }
    return match;
  };
  // The first matched word, without splitting the whole text.
  let first = -1;
  const word = /[\p{L}\p{N}'’]+/gu;
  for (let found = word.exec(text); found; found = word.exec(text)) {
    if (isMatch(found[0])) {
      first = found.index;
      break;
    }
  }
  let start = first < 0 ? 0 : Math.max(0, first - Math.floor(size / 3));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  let end = Math.min(text.length, start + size);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start + size / 2) end = space;
  }
  const part = text.slice(start, end);
  const html = part
    .split(/([\p{L}\p{N}'’]+)/u)
    .map((piece, i) =>
      i % 2 === 1 && isMatch(piece) ? `<mark>${escapeHtml(piece)}</mark>` : escapeHtml(piece),
    )
    .join('');
  return `${start > 0 ? '… ' : ''}${html}${end < text.length ? ' …' : ''}`;
}
