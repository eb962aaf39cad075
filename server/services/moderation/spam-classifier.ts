import createClassifier from 'wink-naive-bayes-text-classifier';
import nlp from 'wink-nlp-utils';

type Classifier = ReturnType<typeof createClassifier>;

const LINK = /\bhttps?:\/\/[^\s)<>\]"']+|\bwww\.[^\s)<>\]"']+/gi;

/**
 * What the classifier sees of a comment: its words without stop words, stemmed (wink-nlp-utils,
 * Porter), plus a few signals words miss: each linked host, that there are links, shouting, money.
 */
export function features(text: string): string[] {
  const links = text.match(LINK) ?? [];
  const words = nlp.tokens.stem(
    nlp.tokens.removeWords(nlp.string.tokenize0(text.replace(LINK, ' ').toLowerCase())),
  );
  const signals: string[] = [];
  if (links.length) signals.push('zzlink', links.length > 2 ? 'zzlinks' : 'zzlink1');
  for (const link of links) {
    const host = /^(?:https?:\/\/)?([^/:?#]+)/i
      .exec(link)?.[1]
      ?.toLowerCase()
      .replace(/^www\./, '');
    if (host) signals.push(`zzhost_${host}`);
  }
  if (/\b[A-Z]{4,}\b.*\b[A-Z]{4,}\b/.test(text)) signals.push('zzshout');
  if (/[$€£]\s?\d|\d\s?(?:%|dollars|usd)\b/i.test(text)) signals.push('zzmoney');
  return [...words, ...signals];
}

function blank(): Classifier {
  const nbc = createClassifier();
  // Text is turned into features; features (from `score`) pass through as they are.
  nbc.definePrepTasks([(input: string | string[]) => (Array.isArray(input) ? input : features(input))]);
  // Presence of a word, not its count (binarized naive Bayes: better on short texts).
  nbc.defineConfig({ considerOnlyPresence: true, smoothingFactor: 0.5 });
  return nbc;
}

export interface Labelled {
  text: string;
  label: 'spam' | 'ham';
}

/** A classifier trained on these examples (both labels must be present). */
export function train(examples: Iterable<Labelled>): Classifier {
  const nbc = blank();
  for (const { text, label } of examples) nbc.learn(text, label);
  nbc.consolidate();
  return nbc;
}

/** A classifier from its stored JSON. */
export function load(json: string): Classifier {
  const nbc = blank();
  nbc.importJSON(json);
  nbc.consolidate();
  return nbc;
}

/**
 * How likely the text is spam, 0 to 100 (50: the classifier knows none of its words). Naive Bayes
 * adds up evidence word by word, so its raw odds grow with length and saturate at once; the odds
 * per word give a score that spreads out, so the hold threshold means something.
 */
export function score(nbc: Classifier, text: string): number {
  const tokens = features(text);
  const odds = nbc.computeOdds(tokens).find(([label]) => label === 'spam')?.[1] ?? 0;
  const perWord = odds / Math.max(1, tokens.length);
  return Math.round(100 / (1 + 2 ** -Math.max(-60, Math.min(60, perWord))));
}

export interface Figures {
  threshold: number;
  tested: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Of the comments it would hold, the share that moderators had rejected (null: it would hold none). */
  precision: number | null;
  /** Of the comments moderators had rejected, the share it would hold (null: none were rejected). */
  recall: number | null;
}

/** Precision and recall at a threshold, from the scores held-out decisions got. */
export function figures(heldOut: { score: number; spam: boolean }[], threshold: number): Figures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { score: s, spam } of heldOut) {
    const held = s >= threshold;
    if (held && spam) tp += 1;
    else if (held) fp += 1;
    else if (spam) fn += 1;
  }
  return {
    threshold,
    tested: heldOut.length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp ? tp / (tp + fp) : null,
    recall: tp + fn ? tp / (tp + fn) : null,
  };
}
