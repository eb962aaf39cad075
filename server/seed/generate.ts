import { Types } from 'mongoose';
import type { ImportedComment } from '../services/import/writer.js';
import { renderCommentMarkdown } from '../lib/markdown.js';
import {
  CLOSERS,
  COLUMNIST_REPLIES,
  CREDIT_MIDDLES,
  GENERIC_MIDDLES,
  NAMES,
  OPENERS_BY_SLUG,
  REPLIES,
} from './demo-comments.js';
import { lineageOf } from '../services/comments/lineage.js';

/** A small seeded PRNG (mulberry32), so every seed run builds the same threads. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type GeneratedComment = ImportedComment;

/**
 * Builds a realistic thread: a share of top-level comments, the rest replies
 * that favour recent and lively subthreads, so some chains run 8+ deep.
 */
export function generateThread(options: {
  post: Types.ObjectId;
  slug: string;
  count: number;
  topLevelShare: number;
  start: Date;
  columnist: string;
  seed: number;
}): GeneratedComment[] {
  const random = prng(options.seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const openers = OPENERS_BY_SLUG[options.slug] ?? OPENERS_BY_SLUG['optional-weekend-team-retreat'];
  const middles = options.slug === 'coworker-presents-my-analysis-as-hers' ? CREDIT_MIDDLES : GENERIC_MIDDLES;
  const comments: GeneratedComment[] = [];
  let time = options.start.getTime();

  for (let i = 0; i < options.count; i += 1) {
    time += Math.floor(random() * 240000) + 15000;
    const _id = new Types.ObjectId();
    let parent: GeneratedComment | undefined;
    if (comments.length > 0 && random() > options.topLevelShare) {
      // Prefer the newest comments, which is where conversations continue.
      const window = Math.min(comments.length, 40);
      parent = comments[comments.length - 1 - Math.floor(random() * random() * window)];
    }
    const columnist = parent !== undefined && random() < 0.012;
    let body: string;
    if (columnist) body = pick(COLUMNIST_REPLIES);
    else if (parent && random() < 0.55)
      body = `${pick(REPLIES)} ${random() < 0.5 ? pick(middles) : ''}`.trim();
    else body = [pick(openers), pick(middles), pick(CLOSERS)].filter(Boolean).join(' ');
    if (!columnist && random() < 0.08) body = `> ${pick(middles)}\n\n${body}`;
    if (!columnist && random() < 0.05) body += `\n\n*Edit:* typo.`;

    const createdAt = new Date(time);
    comments.push({
      _id,
      post: options.post,
      ...lineageOf(_id, parent),
      number: i + 1,
      sourceKey: '',
      authorName: columnist ? options.columnist : pick(NAMES),
      authorEmail: '',
      authorUrl: '',
      heldReason: '',
      authorKind: columnist ? 'columnist' : 'guest',
      authorUser: null,
      bodySource: body,
      bodyHtml: renderCommentMarkdown(body),
      status: 'visible',
      createdAt,
      updatedAt: createdAt,
    });
  }
  return comments;
}
