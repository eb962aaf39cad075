/**
 * Writes the labelled comments the spam classifier's tests measure on:
 * `npx tsx tools/spam-fixture/make-fixture.ts > test/fixtures/spam/labelled-comments.json`.
 *
 * Seeded, so the file is the same on every run. "ham" is what moderators of an advice column
 * approve: the demo threads' sentences recombined, short agreements, and comments that look like
 * spam to a word list but are not (a link to a government page, a salary figure, "great post").
 * "spam" is what they reject: link drops, money-making offers, "recovery" scams, essay mills,
 * generic praise with a link, and praise without one. See test/fixtures/spam/README.md.
 */
import {
  CLOSERS,
  CREDIT_MIDDLES,
  CREDIT_OPENERS,
  GENERIC_MIDDLES,
  REPLIES,
} from '../../server/seed/demo-comments.js';
import { prng } from '../../server/seed/generate.js';

const random = prng(20261127);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];

const HAM_EXTRA = [
  'The EEOC has a plain-language page on this: https://www.eeoc.gov/retaliation if you want the legal side.',
  'I negotiated from $62,000 to $68,500 after reading the salary posts here, so it does work.',
  'Great post. The script in the third paragraph is exactly what I needed before my one-on-one.',
  'Thank you for answering this one, it has been on my mind since my own review.',
  'My company pays 100% of the certification if you stay a year, worth asking HR about.',
  'There is a good Ask a Manager-style thread on r/managers about this, search "credit taking".',
  'Update from a similar situation: I sent the recap email and my boss replied "thanks for the clear summary".',
  'I work from home three days a week and the visibility problem is real.',
  'Free advice from someone who learned the hard way: keep copies of your performance reviews at home.',
  'CONGRATULATIONS on the new job, OP! Please send an update in a few months.',
];

const SPAM_OPENERS = [
  'Great article, very informative!',
  'Nice post, thanks for sharing.',
  'I really like your blog, keep it up.',
  'Very helpful content.',
  'Awesome write-up!',
  'This is a great site.',
  '',
];

const SPAM_BODIES = [
  'I make $9,000 a month working from home, no experience needed. Check how at {link}',
  'Earn $500 per day with simple online tasks, start today: {link}',
  'Lost money to a crypto scam? Our recovery experts got back 100% of my funds, contact {link}',
  'Need an essay fast? Professional writers, plagiarism free, cheap prices {link}',
  'Best online casino bonus 2026, 200 free spins for new players {link}',
  'Buy cheap followers and likes instantly, real accounts, visit {link}',
  'Get a personal loan approved in 10 minutes, bad credit OK {link}',
  'Top SEO services to rank your website first on Google {link}',
  'Cheap replica watches and bags, free shipping worldwide {link}',
  'My aunt earns $87 an hour on her laptop. This is what she does {link}',
  'Bitcoin doubling guaranteed, send and receive double within 24 hours {link}',
  'Hot singles in your area are waiting, sign up free {link}',
  'Visit my website for more tips like this {link}',
  'Check out my blog about the same topic {link}',
];

const SPAM_NO_LINK = [
  'Great article, very informative! Thanks for sharing such valuable information.',
  'Very nice post. I just stumbled upon your blog and wanted to say I really enjoyed browsing.',
  'Contact Dr. Adams on WhatsApp +1 555 0199 for a love spell that works in 48 hours.',
  'I am earning $300 daily from home with a simple job. Message me to learn how, it is legit.',
  'HELLO EVERYONE I WANT TO TESTIFY ABOUT THE GREAT HACKER WHO RECOVERED MY BITCOIN, EMAIL HIM NOW',
];

const HOSTS = [
  'best-earnings-now.example',
  'quick-cash-jobs.example',
  'crypto-recover-pro.example',
  'essaywriters24.example',
  'spins-casino.example',
  'seo-rank-first.example',
  'cheap-watches.example',
  'fastloan-ok.example',
];

function link(): string {
  const host = pick(HOSTS);
  return random() < 0.3 ? `www.${host}` : `https://${host}/${Math.floor(random() * 900 + 100)}`;
}

function ham(): string {
  const roll = random();
  if (roll < 0.1) return pick(HAM_EXTRA);
  if (roll < 0.3) return pick(REPLIES);
  const middles = random() < 0.5 ? CREDIT_MIDDLES : GENERIC_MIDDLES;
  return [pick(CREDIT_OPENERS), pick(middles), pick(CLOSERS)].filter(Boolean).join(' ');
}

function spam(): string {
  if (random() < 0.15) return pick(SPAM_NO_LINK);
  return [pick(SPAM_OPENERS), pick(SPAM_BODIES).replace('{link}', link())].filter(Boolean).join(' ');
}

// Each text once: a copy on both sides of the held-out split would flatter the figures.
const seen = new Set<string>();
const comments: { text: string; label: 'spam' | 'ham' }[] = [];
while (comments.length < 600) {
  // About one comment in four that reaches a moderator is spam.
  const comment =
    random() < 0.25 ? { text: spam(), label: 'spam' as const } : { text: ham(), label: 'ham' as const };
  if (seen.has(comment.text)) continue;
  seen.add(comment.text);
  comments.push(comment);
}
process.stdout.write(`${JSON.stringify(comments, null, 1)}\n`);
