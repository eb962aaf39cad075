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
import { K1, termWeight, unpackFrequencies, unpackPostings, type Posting } from './search-index.js';
import { fold, hasPhrase, parseQuery, plainText, snippet, stems, words, type ParsedQuery } from './text.js';

const { trusted } = mongoose;

/** Postings chunks read per word (up to 64 documents each): all of them when a word has fewer (exact). */
const CHUNKS = 12;
/** The best documents kept per word when it has more chunks than that. */
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
  /** Moderators' search: held, removed and deleted comments too. */
  everything?: boolean;
  /** Unpublished posts (and comments on them) too: admins only (drafts may hold a reader's letter). */
  drafts?: boolean;
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
    const empty = { query, results: [], page, hasNext: false, approximate: false };
    if (!query.include.length) return empty;

    const lists = await Promise.all(query.include.map((t) => this.postings(t)));
    if (lists.some((l) => l.docs.length === 0)) return empty;
    const n = this.count();
    const df = lists.map((l) => (l.complete ? l.docs.length : Math.max(PER_TERM * 4, Math.round(n / 20))));
    const idf = df.map((d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)));
    const plain =
      !query.exclude.length &&
      !query.phrases.length &&
      !params.tag &&
      !params.author &&
      !params.from &&
      !params.to &&
      !params.postId &&
      !params.everything &&
      !params.drafts;
    if (plain) return this.fromPostings(query, lists, idf, page, params.type ?? 'all');
    const candidates = rankCandidates(lists, idf);

    // Read the candidates' documents best bound first, a batch at a time, until the page (and one
    // more, to know if there is a next page) is certain: no unread candidate could score higher.
    const needed = page * PER_PAGE + 1;
    const matches: { doc: SearchDoc; score: number }[] = [];
    const byRank = (a: { doc: SearchDoc; score: number }, b: { doc: SearchDoc; score: number }) =>
      b.score - a.score || b.doc.at.getTime() - a.doc.at.getTime();
    let read = 0;
    while (read < candidates.length) {
      const batch = candidates.slice(read, read + (read === 0 ? 60 : 200));
      read += batch.length;
      const found = (await this.docs(batch.map((c) => c.d)))
        .map((doc) => ({ doc, score: this.scoreOf(doc, query, idf, params) }))
        .filter((m): m is { doc: SearchDoc; score: number } => m.score !== null);
      matches.push(...(query.phrases.length ? await this.withPhrases(found, query.phrases) : found));
      matches.sort(byRank);
      const next = candidates[read]?.bound ?? 0;
      if (matches.length >= needed && matches[needed - 1].score >= next) break;
    }

    const start = (page - 1) * PER_PAGE;
    return {
      query,
      results: await this.describe(matches.slice(start, start + PER_PAGE), query, {
        everything: Boolean(params.everything),
        drafts: Boolean(params.drafts),
      }),
      page,
      hasNext: matches.length > start + PER_PAGE,
      approximate: !lists.some((l) => l.complete),
    };
  }

  /**
   * Words only, as readers search: everything comes from the postings (weights, kind, and whether
   * readers may see the document), so only the page's own posts and comments are read, and what
   * they show is checked on them. A document counts when every word's list has it; for a common
   * word (one read only in part) that means among its heaviest documents.
   */
  private async fromPostings(
    query: ParsedQuery,
    lists: Postings[],
    idf: number[],
    page: number,
    type: 'all' | 'posts' | 'comments',
  ): Promise<SearchPage> {
    const wanted = (p: Posting) =>
      p.shown && (type === 'all' || (type === 'comments' ? p.comment : !p.comment));
    const maps = lists.map((l) => new Map(l.docs.filter(wanted).map((p) => [p.d.toHexString(), p])));
    const smallest = maps.reduce((a, b) => (b.size < a.size ? b : a));
    const scored: { posting: Posting; key: string; score: number }[] = [];
    for (const [key, posting] of smallest) {
      let score = 0;
      let all = true;
      for (let i = 0; i < maps.length && all; i += 1) {
        const p = maps[i].get(key);
        if (!p) all = false;
        else score += idf[i] * weightOf(p.w);
      }
      if (all) scored.push({ posting, key, score });
    }
    // Best first; on equal scores the newer first (an id's first bytes are its time).
    scored.sort((a, b) => b.score - a.score || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
    const start = (page - 1) * PER_PAGE;
    // A few more than the page, for any that turn out hidden since they were indexed.
    const slice = scored.slice(start, start + PER_PAGE + 5);
    const results = await this.describeIds(
      slice.map((s) => ({ id: s.posting.d, comment: s.posting.comment, score: s.score })),
      query,
      { everything: false, drafts: false },
    );
    return {
      query,
      results: results.slice(0, PER_PAGE),
      page,
      hasNext: scored.length > start + PER_PAGE,
      approximate: !lists.some((l) => l.complete),
    };
  }

  /** The document's BM25 score for the query, or null when it does not match or may not be shown. */
  private scoreOf(doc: SearchDoc, query: ParsedQuery, idf: number[], params: SearchParams): number | null {
    if (!this.visible(doc, params.everything, params.drafts)) return null;
    if (params.type === 'posts' && doc.k !== 'p') return null;
    if ((params.type === 'comments' || params.postId) && doc.k !== 'c') return null;
    if (params.postId && !doc.post.equals(params.postId)) return null;
    const tag = params.tag?.trim().toLowerCase();
    if (tag && !doc.tags.some((t) => t.toLowerCase() === tag)) return null;
    if (params.author && doc.au !== fold(params.author.trim())) return null;
    if (params.from && doc.at < params.from) return null;
    if (params.to && doc.at > params.to) return null;
    const tf = unpackFrequencies(doc.tf);
    if (query.exclude.some((t) => tf.has(t))) return null;
    if (!query.include.every((t) => tf.has(t))) return null;
    return query.include.reduce((sum, t, i) => sum + idf[i] * termWeight(tf.get(t)!, doc.len, doc.k), 0);
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
    const found: { id: Types.ObjectId; title: string; url: string }[] = [];
    for (const row of rows) {
      if (seen.has(String(row.d))) continue;
      const titleWords = words(row.title);
      const fits =
        titleWords.some((w) => w.startsWith(last)) &&
        typed.slice(0, -1).every((w) => titleWords.some((t) => t.startsWith(w)));
      if (!fits) continue;
      seen.add(String(row.d));
      found.push({ id: row.d, title: row.title, url: `/posts/${row.slug}` });
      if (found.length === 8) break;
    }
    // The posts are the authority: one unpublished since its prefixes were written is not suggested.
    const published = new Set(
      (
        await PostModel.find({ _id: trusted({ $in: found.map((f) => f.id) }), status: 'published' })
          .select('_id')
          .lean<{ _id: Types.ObjectId }[]>()
      ).map((p) => String(p._id)),
    );
    return found.filter((f) => published.has(String(f.id))).map(({ title, url }) => ({ title, url }));
  }

  /**
   * A stem's best documents: its first CHUNKS chunks in _id order (heaviest first), their postings
   * by weight, each document once. Complete when the stem has no more chunks than that.
   */
  private async postings(t: string): Promise<Postings> {
    const chunks = await SearchPostingModel.find({ t })
      .sort({ _id: 1 })
      .limit(CHUNKS)
      .select('p')
      .lean<{ p: string }[]>();
    // A document written more than once (edited, moderated) has several postings: the heaviest
    // counts, and it counts as shown if any says so (what readers see is checked on the page itself).
    const best = new Map<string, Posting>();
    for (const chunk of chunks) {
      for (const posting of unpackPostings(chunk.p)) {
        const key = posting.d.toHexString();
        const seen = best.get(key);
        if (!seen) best.set(key, posting);
        else
          best.set(key, { ...posting, w: Math.max(seen.w, posting.w), shown: seen.shown || posting.shown });
      }
    }
    const docs = [...best.values()].sort((a, b) => b.w - a.w);
    const complete = chunks.length < CHUNKS;
    return { docs: complete ? docs : docs.slice(0, PER_TERM), complete };
  }

  private visible(doc: SearchDoc, everything?: boolean, drafts?: boolean): boolean {
    if (doc.k === 'p') return doc.st === 'published' || Boolean(drafts);
    if (!doc.pub && !drafts) return false;
    return doc.st === 'visible' || Boolean(everything);
  }

  private async docs(ids: Types.ObjectId[]): Promise<SearchDoc[]> {
    const chunks: Promise<SearchDoc[]>[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      chunks.push(SearchDocModel.find({ _id: trusted({ $in: ids.slice(i, i + 500) }) }).lean<SearchDoc[]>());
    }
    return (await Promise.all(chunks)).flat();
  }

  /**
   * Documents in the index, for IDF: counted in the background now and then (a count can take a
   * while on a big embedded database), a rough default until the first count is in.
   */
  private count(): number {
    if (Date.now() - this.docCount.at > 600000) {
      this.docCount.at = Date.now();
      void SearchDocModel.estimatedDocumentCount()
        .then((value) => (this.docCount = { value, at: Date.now() }))
        .catch(() => undefined);
    }
    return Math.max(1000, this.docCount.value);
  }

  /** The matches whose text has every phrase. */
  private async withPhrases(
    found: { doc: SearchDoc; score: number }[],
    phrases: string[][],
  ): Promise<{ doc: SearchDoc; score: number }[]> {
    if (!found.length) return found;
    const texts = await this.texts(found.map((m) => m.doc));
    return found.filter((m) => {
      const all = words(texts.get(String(m.doc._id)) ?? '');
      return phrases.every((p) => hasPhrase(all, p));
    });
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
    may: { everything: boolean; drafts: boolean },
  ): Promise<SearchResult[]> {
    return this.describeIds(
      shown.map((m) => ({ id: m.doc._id, comment: m.doc.k === 'c', score: m.score })),
      query,
      may,
    );
  }

  /**
   * Results for these documents, in this order: reads the comments, their posts' titles and the
   * posts themselves, and drops what readers may not see (unless `everything`), whatever the index
   * said: the posts and comments are the authority.
   */
  private async describeIds(
    items: { id: Types.ObjectId; comment: boolean; score: number }[],
    query: ParsedQuery,
    may: { everything: boolean; drafts: boolean },
  ): Promise<SearchResult[]> {
    const commentIds = items.filter((i) => i.comment).map((i) => i.id);
    const postIds = items.filter((i) => !i.comment).map((i) => i.id);
    const comments = commentIds.length
      ? await CommentModel.find({ _id: trusted({ $in: commentIds }) })
          .select('bodyHtml authorName number post status createdAt')
          .lean<Comment[]>()
      : [];
    const commentPostIds = [...new Set(comments.map((c) => String(c.post)))].map(
      (id) => new Types.ObjectId(id),
    );
    const [posts, commentPosts] = await Promise.all([
      postIds.length
        ? PostModel.find({ _id: trusted({ $in: postIds }) })
            .select('title slug tags letterHtml answerHtml authorName status publishedAt createdAt')
            .lean<Post[]>()
        : [],
      commentPostIds.length
        ? PostModel.find({ _id: trusted({ $in: commentPostIds }) })
            .select('title slug status')
            .lean<Post[]>()
        : [],
    ]);
    const postById = new Map([...commentPosts, ...posts].map((p) => [String(p._id), p]));
    const commentById = new Map(comments.map((c) => [String(c._id), c]));
    return items.flatMap(({ id, comment: isComment, score }): SearchResult[] => {
      if (!isComment) {
        const post = postById.get(String(id));
        if (!post || (!may.drafts && post.status !== 'published')) return [];
        if (!hasEvery(`${postText(post)} ${post.authorName}`, query.include)) return [];
        return [
          {
            kind: 'post',
            id: String(id),
            url: `/posts/${post.slug}`,
            title: post.title,
            author: post.authorName,
            snippet: snippet(postText(post, false), query),
            date: post.publishedAt ?? post.createdAt,
            status: post.status === 'published' ? undefined : post.status,
            score,
          },
        ];
      }
      const comment = commentById.get(String(id));
      const post = comment && postById.get(String(comment.post));
      if (!comment || !post) return [];
      const published = post.status === 'published';
      if (!published && !may.drafts) return [];
      if (comment.status !== 'visible' && !may.everything) return [];
      // An edit since it was indexed may have taken the words out: the text is the authority.
      if (!hasEvery(`${comment.authorName} ${plainText(comment.bodyHtml)}`, query.include)) return [];
      return [
        {
          kind: 'comment',
          id: String(id),
          url: `/posts/${post.slug}/comments/${String(id)}`,
          title: post.title,
          number: comment.number,
          author: comment.authorName,
          snippet: snippet(plainText(comment.bodyHtml), query),
          date: comment.createdAt,
          status:
            comment.status === 'visible' && published
              ? undefined
              : published
                ? comment.status
                : `${comment.status}, post not published`,
          score,
        },
      ];
    });
  }
}

/** Whether the text has every one of the stems. */
function hasEvery(text: string, wanted: string[]): boolean {
  const have = new Set(stems(text));
  return wanted.every((t) => have.has(t));
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

interface Postings {
  /** Documents and their quantized weights, heaviest first. */
  docs: Posting[];
  /** Every document with the stem is here. */
  complete: boolean;
}

/** A quantized weight back as a BM25 weight (a hair above, so a bound is never too low). */
const weightOf = (w: number) => ((w + 1) / 65535) * (K1 + 1);

/**
 * Which documents to look at, each with the most it can score: when a word's list is complete, only
 * its documents can match (the shortest such list is used); otherwise the documents of every list,
 * those in most lists first, up to MAX_CANDIDATES. A word a document is missing from a complete
 * list rules it out; from an incomplete one, it can weigh at most what that list's last entry does.
 */
function rankCandidates(lists: Postings[], idf: number[]): { d: Types.ObjectId; bound: number }[] {
  const weights = lists.map((l) => new Map(l.docs.map((p) => [p.d.toHexString(), p.w])));
  const floor = lists.map((l) => (l.complete ? -1 : (l.docs.at(-1)?.w ?? 0)));
  const completeLists = lists.filter((l) => l.complete);
  let pool: Types.ObjectId[];
  if (completeLists.length) {
    pool = completeLists.reduce((a, b) => (b.docs.length < a.docs.length ? b : a)).docs.map((p) => p.d);
  } else {
    const seen = new Map<string, { d: Types.ObjectId; n: number }>();
    for (const list of lists) {
      for (const { d } of list.docs) {
        const key = d.toHexString();
        const entry = seen.get(key);
        if (entry) entry.n += 1;
        else seen.set(key, { d, n: 1 });
      }
    }
    pool = [...seen.values()]
      .sort((a, b) => b.n - a.n)
      .slice(0, MAX_CANDIDATES)
      .map((e) => e.d);
  }
  const ranked: { d: Types.ObjectId; bound: number }[] = [];
  for (const d of pool) {
    const key = d.toHexString();
    let bound = 0;
    let possible = true;
    for (let i = 0; i < lists.length && possible; i += 1) {
      const w = weights[i].get(key) ?? floor[i];
      if (w < 0) possible = false;
      else bound += idf[i] * weightOf(w);
    }
    if (possible) ranked.push({ d, bound });
  }
  return ranked.sort((a, b) => b.bound - a.bound);
}

/** Reads the search form's filters (query string or API), with a readable error for bad dates. */
export function parseFilters(
  input: Record<string, unknown>,
): Omit<SearchParams, 'postId' | 'everything' | 'drafts'> {
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
