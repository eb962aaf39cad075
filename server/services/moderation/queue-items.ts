import mongoose from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { findComments } from '../comments/comment-store.js';
import { PostModel, type Post } from '../../../models/post.js';
import { ReportModel, type ReportCategory } from '../../../models/report.js';
import { countByCategory, REPORT_CATEGORY_LABELS } from './report-input.js';
import { plainExcerpt } from '../../lib/markdown.js';
import { commenterFilter, commenterOf, commenterQuery } from './commenter-key.js';

const trusted = <T>(operator: T): T => mongoose.trusted(operator) as T;

/** How many of a writer's latest comments a card's short history reads (through the key's index). */
const WRITER_HISTORY = 200;
/** A parent's text on a card is cut to this many characters. */
const PARENT_EXCERPT = 240;

/** Why a moderator removes a comment: the report categories, with "other" said as a moderator says it. */
const REMOVE_REASONS: [ReportCategory, string][] = [
  ['other', 'Breaks the site’s rules'],
  ['spam', REPORT_CATEGORY_LABELS.spam],
  ['abuse', REPORT_CATEGORY_LABELS.abuse],
  ['off-topic', REPORT_CATEGORY_LABELS['off-topic']],
  ['personal-info', REPORT_CATEGORY_LABELS['personal-info']],
];

/** A report category and how many open reports picked it. */
export interface ReportGroup {
  category: ReportCategory;
  label: string;
  count: number;
}

/** The writer of a queued comment, as a card shows them. */
export interface QueueWriter {
  /** The query of their history page (`user=…`, `email=…`, `ip=…`), or '' when nothing is known. */
  query: string;
  account: boolean;
  /** Staff and the columnist: never sanctioned from a queue. */
  staff: boolean;
  held: number;
  shown: number;
  removed: number;
  reported: number;
  /** How many of their comments were read (WRITER_HISTORY at most). */
  read: number;
  more: boolean;
}

/** A queued comment with what a moderator needs to decide on it without leaving the card. */
export type QueueItem = Comment & {
  postTitle: string;
  postSlug: string;
  parentInfo?: { number: number; authorName: string; excerpt: string; status: string };
  reportTotal: number;
  reportGroups: ReportGroup[];
  /** Who reported it, as counts: signed-in readers and guests (one report each per comment). */
  reporters: { accounts: number; guests: number };
  /** The readers' own words, newest first. */
  reportNotes: string[];
  /** The category most readers picked: the card's default reason to remove. */
  topCategory?: ReportCategory;
  writer: QueueWriter;
  /** The reasons a card offers for removing it, the readers' most picked one first chosen. */
  removeReasons: { label: string; selected: boolean }[];
  actions: { approve: boolean; dismiss: boolean; remove: boolean; restore: boolean };
};

/** The card's writer: their history page's query and the filter that reads their comments. */
function writerKey(c: Comment): { query: string; filter: Record<string, unknown> } | undefined {
  const key = commenterOf(c);
  return key && { query: commenterQuery(key), filter: commenterFilter(key) };
}

async function postsOf(comments: Comment[]): Promise<Map<string, Post>> {
  const ids = [...new Set(comments.map((c) => String(c.post)))];
  const posts = await PostModel.find({ _id: trusted({ $in: ids }) })
    .select('title slug')
    .lean<Post[]>();
  return new Map(posts.map((p) => [String(p._id), p]));
}

async function parentsOf(comments: Comment[]): Promise<Map<string, Comment>> {
  const ids = [...new Set(comments.filter((c) => c.parent).map((c) => String(c.parent)))];
  if (!ids.length) return new Map();
  const parents = await findComments({ _id: trusted({ $in: ids }) })
    .select('number authorName bodyHtml status')
    .lean<Comment[]>();
  return new Map(parents.map((p) => [String(p._id), p]));
}

async function reportsOf(comments: Comment[]) {
  const reports = await ReportModel.find({
    comment: trusted({ $in: comments.map((c) => c._id) }),
    resolved: false,
  })
    .sort({ _id: -1 })
    .select('comment category reason reporterKey')
    .lean();
  const byComment = new Map<string, typeof reports>();
  for (const r of reports) byComment.set(String(r.comment), [...(byComment.get(String(r.comment)) ?? []), r]);
  return byComment;
}

/** Each distinct writer's short history: one read of their latest comments through its own index. */
async function writersOf(comments: Comment[]): Promise<Map<string, Omit<QueueWriter, 'staff'>>> {
  const keys = new Map<string, Record<string, unknown>>();
  for (const c of comments) {
    const key = writerKey(c);
    if (key) keys.set(key.query, key.filter);
  }
  const entries = await Promise.all(
    [...keys].map(async ([query, filter]) => {
      const latest = await findComments(filter)
        .sort({ _id: -1 })
        .limit(WRITER_HISTORY)
        .select('status reportCount')
        .lean<Pick<Comment, 'status' | 'reportCount'>[]>();
      const count = (test: (c: Pick<Comment, 'status' | 'reportCount'>) => boolean) =>
        latest.filter(test).length;
      return [
        query,
        {
          query,
          account: query.startsWith('user='),
          held: count((c) => c.status === 'pending'),
          shown: count((c) => c.status === 'visible'),
          removed: count((c) => c.status === 'removed'),
          reported: count((c) => c.reportCount > 0),
          read: latest.length,
          more: latest.length >= WRITER_HISTORY,
        },
      ] as const;
    }),
  );
  return new Map(entries);
}

function groupReports(
  reports: { category?: string | null; reason?: string | null; reporterKey?: string | null }[],
) {
  const groups = countByCategory(reports);
  const accounts = reports.filter((r) => r.reporterKey?.startsWith('user:')).length;
  return {
    groups,
    reporters: { accounts, guests: reports.length - accounts },
    notes: reports.map((r) => (r.reason ?? '').trim()).filter(Boolean),
    top: groups[0]?.category,
  };
}

/**
 * Queue cards: each comment with its post, the comment it replies to, its open reports grouped
 * and counted by category, its writer's short history, and the actions that apply to it. Five
 * indexed reads for a page, whatever its size (one more per distinct writer, on that writer's index).
 */
export async function queueItems(comments: Comment[]): Promise<QueueItem[]> {
  if (!comments.length) return [];
  const [posts, parents, reports, writers] = await Promise.all([
    postsOf(comments),
    parentsOf(comments),
    reportsOf(comments),
    writersOf(comments),
  ]);
  return comments.map((c) => {
    const post = posts.get(String(c.post));
    const parent = c.parent ? parents.get(String(c.parent)) : undefined;
    const open = reports.get(String(c._id)) ?? [];
    const { groups, notes, top, reporters } = groupReports(open);
    const key = writerKey(c);
    const history = key ? writers.get(key.query) : undefined;
    const staff = c.authorKind === 'staff' || c.authorKind === 'columnist';
    return {
      ...c,
      postTitle: post?.title ?? '',
      postSlug: post?.slug ?? '',
      parentInfo: parent && {
        number: parent.number,
        authorName: parent.authorName,
        excerpt: parent.status === 'visible' ? plainExcerpt(parent.bodyHtml, PARENT_EXCERPT) : '',
        status: parent.status,
      },
      removeReasons: REMOVE_REASONS.map(([category, label]) => ({
        label,
        selected: category === (top ?? 'other'),
      })),
      reportTotal: open.length,
      reportGroups: groups,
      reporters,
      reportNotes: notes,
      topCategory: top,
      writer: history
        ? { ...history, staff }
        : {
            query: '',
            account: false,
            staff,
            held: 0,
            shown: 0,
            removed: 0,
            reported: 0,
            read: 0,
            more: false,
          },
      actions: {
        approve: c.status === 'pending',
        dismiss: open.length > 0 && c.status === 'visible',
        remove: c.status === 'visible' || c.status === 'pending',
        restore: c.status === 'removed',
      },
    };
  });
}
