import mongoose, { Types } from 'mongoose';
import { CommentModel, type Comment } from '../../../models/comment.js';
import { PostModel, type Post } from '../../../models/post.js';
import {
  SearchDocModel,
  SearchPostingModel,
  SearchPrefixModel,
  type SearchDoc,
} from '../../../models/search.js';
import { ValidationError } from '../../errors/index.js';
import { K1, termWeight } from './search-index.js';
import { fold, hasPhrase, parseQuery, plainText, snippet, words, type ParsedQuery } from './text.js';

const { trusted } = mongoose;

/** The best postings read per word: every document when a word is rarer than this (exact), else its best. */
const PER_TERM = 400;
/** Documents looked at per query, at most. */
const MAX_CANDIDATES = 1200;
const PER_PAGE = 20;

export interface SearchParams {
  q: string;
  type?: 'all' | 'posts' | 'comments';
  tag?: string;
  author?: string;
  from?: Date;
  to?: Date;
  /** Only this post's comments (search within a thread). */
  postId?: Types.ObjectId;
  page?: number;
  /** Moderators' search: held, removed and deleted comments and unpublished posts too. */
  everything?: boolean;
}

export interface SearchResult {
  kind: 'post' | 'comment';
  id: string;
  url: string;
  /** The post's title (for a comment, the post it is on). */
  title: string;
  /** A comment's number and author. */
  number?: number;
  author: string;
  /** HTML: escaped text with <mark> around matched words. */
  snippet: string;
  date: Date;
  /** For moderators: the comment's or post's status when it is not plainly visible. */
  status?: string;
  score: number;
}

export interface SearchPage {
  query: ParsedQuery;
  results: SearchResult[];
  page: number;
  hasNext: boolean;
  /** Matches among the documents looked at (exact unless `approximate`). */
  matched: number;
  /** True when every word was common enough that only its best documents were looked at. */
  approximate: boolean;
}

/**
 * Search over posts and comments: BM25 with English stemming, quoted phrases, `-word`, filters and
 * permissions, over the index in the database (see models/search.ts). For each word the few hundred
 * documents where it weighs most are read in index order; a word rarer than that is read whole, so a
 * query with one such word is exact. Candidates are then checked against every word, the filters and
 * what the reader may see, scored, and ranked (newer first on equal scores).
 */
export class SearchService {
  private docCount = { value: 0, at: 0 };

  async search(params: SearchParams): Promise<SearchPage> {
    const query = parseQuery(params.q ?? '');
    const page = Math.max(1, Math.min(50, params.page ?? 1));
    const empty = { query, results: [], page, hasNext: false, matched: 0, approximate: false };
    if (!query.include.length) return empty;

    const lists = await Promise.all(
      query.include.map((t) =>
        SearchPostingModel.find({ t })
          .sort({ _id: 1 })
          .limit(PER_TERM)
          .select('d')
          .lean<{ d: Types.ObjectId }[]>(),
      ),
    );
    const complete = lists.map((l) => l.length < PER_TERM);
    if (lists.some((l) => l.length === 0)) return empty;
    const candidates = pickCandidates(lists, complete);
    const docs = await this.docs(candidates);
    const n = await this.count();
    const df = lists.map((l, i) => (complete[i] ? l.length : Math.max(PER_TERM * 4, Math.round(n / 20))));
    const idf = df.map((d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)));

    const author = params.author ? fold(params.author.trim()) : '';
    const tag = params.tag?.trim().toLowerCase() ?? '';
    const matches: { doc: SearchDoc; score: number }[] = [];
    for (const doc of docs) {
      if (!this.visible(doc, params.everything)) continue;
      if (params.type === 'posts' && doc.k !== 'p') continue;
      if ((params.type === 'comments' || params.postId) && doc.k !== 'c') continue;
      if (params.postId && !doc.post.equals(params.postId)) continue;
      if (tag && !doc.tags.some((t) => t.toLowerCase() === tag)) continue;
      if (author && doc.au !== author) continue;
      if (params.from && doc.at < params.from) continue;
      if (params.to && doc.at > params.to) continue;
      const tf = new Map(doc.ts.map((t, i) => [t, doc.fs[i]]));
      if (query.exclude.some((t) => tf.has(t))) continue;
      if (!query.include.every((t) => tf.has(t))) continue;
      const score = query.include.reduce(
        (sum, t, i) => sum + idf[i] * termWeight(tf.get(t)!, doc.len, doc.k),
        0,
      );
      matches.push({ doc, score });
    }
    matches.sort((a, b) => b.score - a.score || b.doc.at.getTime() - a.doc.at.getTime());

    const start = (page - 1) * PER_PAGE;
    let ranked = matches;
    if (query.phrases.length) ranked = await this.withPhrases(matches, query.phrases, start + PER_PAGE + 1);
    const shown = ranked.slice(start, start + PER_PAGE);
    return {
      query,
      results: await this.describe(shown, query),
      page,
      hasNext: ranked.length > start + PER_PAGE,
      matched: query.phrases.length ? ranked.length : matches.length,
      approximate: !complete.some(Boolean),
    };
  }

  /** Titles of published posts whose words start with what was typed (the last word may be partial). */
  async suggest(q: string): Promise<{ title: string; url: string }[]> {
    const typed = words(q.slice(0, 200));
    const last = typed.at(-1);
    if (!last || last.length < 2) return [];
    const rows = await SearchPrefixModel.find({ p: last.slice(0, 8) })
      .sort({ _id: 1 })
      .limit(60)
      .select('d title slug')
      .lean<{ d: Types.ObjectId; title: string; slug: string }[]>();
    const seen = new Set<string>();
    const found: { title: string; url: string }[] = [];
    for (const row of rows) {
      if (seen.has(String(row.d))) continue;
      const titleWords = words(row.title);
      const fits =
        titleWords.some((w) => w.startsWith(last)) &&
        typed.slice(0, -1).every((w) => titleWords.some((t) => t.startsWith(w)));
      if (!fits) continue;
      seen.add(String(row.d));
      found.push({ title: row.title, url: `/posts/${row.slug}` });
      if (found.length === 8) break;
    }
    return found;
  }

  private visible(doc: SearchDoc, everything?: boolean): boolean {
    if (everything) return true;
    return doc.k === 'p' ? doc.st === 'published' : doc.st === 'visible' && doc.pub;
  }

  private async docs(ids: Types.ObjectId[]): Promise<SearchDoc[]> {
    const chunks: Promise<SearchDoc[]>[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      chunks.push(SearchDocModel.find({ _id: trusted({ $in: ids.slice(i, i + 500) }) }).lean<SearchDoc[]>());
    }
    return (await Promise.all(chunks)).flat();
  }

  /** Documents in the index, for IDF: counted now and then, in the background. */
  private async count(): Promise<number> {
    const age = Date.now() - this.docCount.at;
    if (!this.docCount.at) {
      this.docCount = { value: await SearchDocModel.estimatedDocumentCount(), at: Date.now() };
    } else if (age > 600000) {
      this.docCount.at = Date.now();
      void SearchDocModel.estimatedDocumentCount()
        .then((value) => (this.docCount = { value, at: Date.now() }))
        .catch(() => undefined);
    }
    return Math.max(1, this.docCount.value);
  }

  /** The ranked matches whose text has every phrase, checked in rank order until `enough`. */
  private async withPhrases(
    ranked: { doc: SearchDoc; score: number }[],
    phrases: string[][],
    enough: number,
  ): Promise<{ doc: SearchDoc; score: number }[]> {
    const kept: { doc: SearchDoc; score: number }[] = [];
    for (let i = 0; i < ranked.length && kept.length < enough; i += 50) {
      const part = ranked.slice(i, i + 50);
      const texts = await this.texts(part.map((m) => m.doc));
      for (const m of part) {
        const text = texts.get(String(m.doc._id)) ?? '';
        if (phrases.every((p) => hasPhrase(text, p))) kept.push(m);
      }
    }
    return kept;
  }

  private async texts(docs: SearchDoc[]): Promise<Map<string, string>> {
    const { comments, posts } = await this.sources(docs);
    const texts = new Map<string, string>();
    for (const c of comments.values()) texts.set(String(c._id), `${c.authorName} ${plainText(c.bodyHtml)}`);
    for (const p of posts.values()) texts.set(String(p._id), postText(p));
    return texts;
  }

  private async sources(docs: SearchDoc[]) {
    const commentIds = docs.filter((d) => d.k === 'c').map((d) => d._id);
    const postIds = [...new Set(docs.map((d) => String(d.post)))].map((id) => new Types.ObjectId(id));
    const [comments, posts] = await Promise.all([
      commentIds.length
        ? CommentModel.find({ _id: trusted({ $in: commentIds }) })
            .select('bodyHtml authorName number post status')
            .lean<Comment[]>()
        : [],
      PostModel.find({ _id: trusted({ $in: postIds }) })
        .select('title slug tags letterHtml answerHtml authorName status')
        .lean<Post[]>(),
    ]);
    return {
      comments: new Map(comments.map((c) => [String(c._id), c])),
      posts: new Map(posts.map((p) => [String(p._id), p])),
    };
  }

  private async describe(
    shown: { doc: SearchDoc; score: number }[],
    query: ParsedQuery,
  ): Promise<SearchResult[]> {
    const { comments, posts } = await this.sources(shown.map((m) => m.doc));
    return shown.flatMap(({ doc, score }): SearchResult[] => {
      const post = posts.get(String(doc.post));
      if (!post) return [];
      if (doc.k === 'p') {
        return [
          {
            kind: 'post' as const,
            id: String(doc._id),
            url: `/posts/${post.slug}`,
            title: post.title,
            author: post.authorName,
            snippet: snippet(postText(post, false), query),
            date: doc.at,
            status: post.status === 'published' ? undefined : post.status,
            score,
          },
        ];
      }
      const comment = comments.get(String(doc._id));
      if (!comment) return [];
      return [
        {
          kind: 'comment' as const,
          id: String(doc._id),
          url: `/posts/${post.slug}/comments/${String(doc._id)}`,
          title: post.title,
          number: comment.number,
          author: comment.authorName,
          snippet: snippet(plainText(comment.bodyHtml), query),
          date: doc.at,
          status:
            comment.status === 'visible' && doc.pub
              ? undefined
              : doc.pub
                ? comment.status
                : `${comment.status}, post not published`,
          score,
        },
      ];
    });
  }
}

function postText(
  post: Pick<Post, 'title' | 'letterHtml' | 'answerHtml' | 'tags'>,
  withTitle = true,
): string {
  return [
    withTitle ? post.title : '',
    plainText(post.letterHtml ?? ''),
    plainText(post.answerHtml ?? ''),
    (post.tags ?? []).join(' '),
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * Which documents to look at: when a word's list is complete (it is rarer than PER_TERM), the
 * shortest complete list has every document that can match; otherwise the documents in every list
 * first, then the best of each list, up to MAX_CANDIDATES.
 */
function pickCandidates(lists: { d: Types.ObjectId }[][], complete: boolean[]): Types.ObjectId[] {
  const completeLists = lists.filter((_, i) => complete[i]);
  if (completeLists.length) {
    return completeLists.reduce((a, b) => (b.length < a.length ? b : a)).map((p) => p.d);
  }
  const counts = new Map<string, { id: Types.ObjectId; n: number; best: number }>();
  lists.forEach((list) =>
    list.forEach((p, rank) => {
      const key = String(p.d);
      const entry = counts.get(key);
      if (entry) {
        entry.n += 1;
        entry.best = Math.min(entry.best, rank);
      } else counts.set(key, { id: p.d, n: 1, best: rank });
    }),
  );
  return [...counts.values()]
    .sort((a, b) => b.n - a.n || a.best - b.best)
    .slice(0, MAX_CANDIDATES)
    .map((e) => e.id);
}

/** Reads the search form's filters (query string or API), with a readable error for bad dates. */
export function parseFilters(input: Record<string, unknown>): Omit<SearchParams, 'postId' | 'everything'> {
  const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string).trim() : '');
  const date = (name: string, endOfDay: boolean) => {
    const raw = text(name);
    if (!raw) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
      throw new ValidationError('Dates are written 2026-11-27.', { [name]: 'Write the date as YYYY-MM-DD.' });
    }
    const d = new Date(`${raw}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z`);
    if (Number.isNaN(d.getTime()))
      throw new ValidationError('That is not a date.', { [name]: 'Not a real date.' });
    return d;
  };
  const type = text('type');
  const page = Number(text('page') || '1');
  return {
    q: text('q').slice(0, 500),
    type: type === 'posts' || type === 'comments' ? type : 'all',
    tag: text('tag').slice(0, 60) || undefined,
    author: text('author').slice(0, 80) || undefined,
    from: date('from', false),
    to: date('to', true),
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export { K1 };
