/**
 * Text shaped like a real column's comments, for benchmarks and generated exports: words drawn by
 * Zipf's law from a 20,000-word vocabulary (common English words of the column's subjects first,
 * then made-up ones), and comment lengths as a real advice column's comments run: median about
 * 400 characters, a long tail up to the 5,000-character limit, in paragraphs.
 */
import { prng } from '../server/seed/generate';

const COMMON = `work manager boss coworker team meeting job office email time project review raise
pay salary hours week day night home remote hybrid interview offer hire fire quit resign notice
reference feedback credit report deadline schedule vacation leave sick policy hr lunch desk kitchen
fridge microwave fish smell noise music headphones chat slack message call phone text weekend
holiday party gift birthday card promotion title role career goal plan training mentor intern
client customer vendor contract budget expense travel conference presentation slide deck spreadsheet
data analysis document file folder drive printer laptop password security badge parking commute
bus train car bike coffee tea snack cake donut pizza birthday anniversary retirement layoff
restructure reorg merger startup company industry nonprofit government school teacher nurse doctor
lawyer engineer developer designer writer editor manager director vice president executive ceo
board owner founder family child parent partner spouse friend neighbor dog cat health stress
burnout anxiety therapy advice letter reader columnist answer question problem issue situation
story experience update apology mistake fault blame complaint conflict argument boundary respect
trust honesty kindness rude polite awkward weird funny sad angry happy tired busy late early
overtime underpaid overworked promoted demoted ignored interrupted micromanaged gossip rumor secret
lie truth gaslight bully harass discrimination lawsuit union strike benefit insurance pension
bonus stock equity severance unemployment resume cover linkedin recruiter network skill
certificate degree course exam grade study research science art music sport game team captain
coach player referee score win lose draw match season league cup final champion record`
  .split(/\s+/)
  .filter(Boolean);

/** 20,000 words: the common English ones first, then made-up ones from syllables. */
export function vocabulary(): string[] {
  const random = prng(7);
  const syllables = [
    'ba',
    'ko',
    'ri',
    'men',
    'tal',
    'vo',
    'sen',
    'dra',
    'pli',
    'gor',
    'shu',
    'el',
    'nar',
    'qui',
    'ten',
    'zo',
    'mab',
    'ves',
    'lun',
    'rof',
  ];
  const words = [...new Set(COMMON)];
  const seen = new Set(words);
  while (words.length < 20000) {
    let w = '';
    const n = 2 + Math.floor(random() * 3);
    for (let i = 0; i < n; i += 1) w += syllables[Math.floor(random() * syllables.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

/** Draws words by Zipf's law (the r-th most common about 1/r as often as the first). */
export function zipf(words: string[], random: () => number): () => string {
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 0; r < words.length; r += 1) cumulative.push((total += 1 / (r + 1)));
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo];
  };
}

/** Comment length in characters: log-normal (median 340, sigma 0.9), at most 5,000: with sentences finished, bodies have a median of about 400. */
export function commentLength(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  return Math.max(20, Math.min(5000, Math.round(340 * Math.exp(0.9 * normal))));
}

/** A comment of commentLength() characters: Zipf words in sentences of 6-24 words, paragraphs of 2-5 sentences. */
export function commentBody(draw: () => string, random: () => number): string {
  const target = commentLength(random);
  const paragraphs: string[] = [];
  let length = 0;
  while (length < target) {
    const sentences: string[] = [];
    const count = 2 + Math.floor(random() * 4);
    for (let i = 0; i < count && length < target; i += 1) {
      const words: string[] = [];
      const n = 6 + Math.floor(random() * 19);
      for (let w = 0; w < n; w += 1) words.push(draw());
      const text = words.join(' ');
      const sentence = `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
      sentences.push(sentence);
      length += sentence.length + 1;
    }
    paragraphs.push(sentences.join(' '));
    length += 1;
  }
  return paragraphs.join('\n\n').slice(0, 5000).trimEnd();
}

/** A seeded source of comment bodies. */
export function commentBodies(seed = 11): () => string {
  const random = prng(seed);
  const draw = zipf(vocabulary(), random);
  return () => commentBody(draw, random);
}
