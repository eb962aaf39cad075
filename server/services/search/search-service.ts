import mongoose, { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { findComments } from '../comments/comment-store.js';
import { PostModel, type Post } from '../../../models/post.js';
import { SearchDocModel, SearchPrefixModel, type SearchDoc } from '../../../models/search.js';
import type { Config } from '../../config/index.js';
import { TooManyRequestsError, ValidationError } from '../../errors/index.js';
import { addressBlock, hashIp } from '../../lib/ip-hash.js';
import type { SharedRateLimiter } from '../../lib/shared-limiter.js';
import { Refreshed } from '../../lib/refreshed.js';
import { stopwatch, type Lap } from '../../lib/stopwatch.js';
import { docCount } from './doc-count.js';
import { facet, facetState, monthsOf } from './facets.js';
import { K1 } from './search-index.js';
import { COMMENT, SHOWN, TopK, intersect, merge, type Matches } from './postings.js';
import { READ_BUDGET, Segments, type TermList, type TopList } from './segments.js';
import {
  fold,
  hasPhrase,
  hasStems,
  parseQuery,
  plainText,
  snippet,
  words,
  type ParsedQuery,
} from './text.js';

const { trusted } = mongoose;

/** Candidates whose documents are read, at most, when filters need them (tag, author, dates, phrases). */
const MAX_CHECKED = 2000;
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
  /**
   * True when more may match than were looked at: a word or filter in so many documents that only
   * its newest were read, or filters checked on the best 2,000 candidates, which ran out first.
   */
  approximate: boolean;
  /** Time spent reading the lists, ranking, reading the page's documents (a Server-Timing header). */
  laps: Lap[];
}

/**
 * Search over posts and comments: BM25 with English stemming, quoted phrases, `-word`, filters and
 * permissions, over the index in the database (see models/search.ts). Every word's postings list is
 * read whole (in document order, packed small) and the lists are intersected, so a document with
 * every word is found however common the words are; only a word in more documents than a few full
 * rows hold is read for its newest documents alone (`approximate`). Matches are scored from the
 * postings; the page's documents are then read, and what they show is checked on the posts and
 * comments themselves. A thread, a tag, an author and a few months are lists of their own (filter
 * terms, see facets.ts), intersected with the words'. Filters the postings do not carry (longer date
 * ranges, phrases, moderators' and admins' wider view) are checked on the candidates' index
 * documents, best first.
 */
export class SearchService {
  /**
   * Documents in the index, for IDF: the index's own counter, read again in the background once a
   * minute (a rough default until the first read is in).
   */
  private readonly docCount = new Refreshed(() => docCount.read(), 0);
  /** Whether the index has filter terms (see facets.ts): a rebuild adds them. */
  private readonly facetsComplete = new Refreshed(() => facetState.complete(), false);
  private readonly perIp: SharedRateLimiter | null;

  constructor(
    private readonly config?: Pick<Config, 'searchPerMinute' | 'sessionSecret'>,
    limiter?: (name: string, limit: number, windowMs: number) => SharedRateLimiter,
    /** Postings of a stem a query reads at most (READ_BUDGET; smaller in tests). */
    readBudget = READ_BUDGET,
  ) {
    this.segments = new Segments(undefined, readBudget);
    this.perIp =
      config && limiter && config.searchPerMinute > 0
        ? limiter('search', config.searchPerMinute, 60000)
        : null;
  }

  /** Counts a search from this address: a query reads postings lists, and some are long. */
  async admit(ip: string): Promise<void> {
    if (!this.perIp || !this.config) return;
    const taken = await this.perIp.take(hashIp(addressBlock(ip), this.config.sessionSecret));
    if (taken.waitMs > 0) {
      throw new TooManyRequestsError(
        'Too many searches from here in a minute. Wait a moment and try again.',
        Math.ceil(taken.waitMs / 1000),
      );
    }
  }
  private readonly segments: Segments;

  /** `topTries`: how often a one-word search may start from the rows' kept best (0: never). */
  async search(params: SearchParams, topTries = 2): Promise<SearchPage> {
    const plan = planSearch(params);
    const clock = stopwatch();
    if (!plan.query.include.length) return emptyPage(plan, clock);
    return this.execute(plan, clock, topTries);
  }

  /** Reads the lists, intersects them and pages the matches: with the filters checked, or not. */
  private async execute(plan: SearchPlan, clock: Clock, topTries: number): Promise<SearchPage> {
    const { params } = plan;
    const { top, lists, excluded, read } = await this.readLists(plan, topTries);
    clock.lap('lists');
    // A filter's list read only in part (in more documents than a list's read budget) would leave
    // out its older documents: that filter is checked on the documents instead.
    const filters = read.filter((l) => l.from === 0);
    // (The thread's, when there is one, is the first.)
    const byThread = Boolean(params.postId) && read.length > 0 && read[0].from === 0;
    if ([...lists, ...filters].some((l) => l.list.ord.length === 0)) return emptyPage(plan, clock);
    const approximate = lists.some((l) => l.from > 0);
    const idf = idfOf(lists, Math.max(1000, this.docCount.now()));
    // (Filter lists come after the words': they narrow the matches, and are not scored.)
    const matches = intersect(
      [...lists, ...filters].map((l) => l.list),
      excluded.map((l) => l.list),
    );
    const thread = params.postId && !byThread ? await this.inThread(params.postId, matches) : null;
    clock.lap('intersect');
    const ranking: Ranking = { lists, idf, matches, thread, type: plan.type, wider: plan.wider };
    return plan.checks
      ? this.filtered(plan, ranking, clock, approximate)
      : this.unfiltered(plan, ranking, clock, { top, topTries, approximate });
  }

  /** The words', the `-words'` and the filters' lists, or for one word the rows' kept best. */
  private async readLists(plan: SearchPlan, topTries: number): Promise<ReadLists> {
    const { query } = plan;
    // One word and no filters, the commonest search, ranks by the word's weight alone: each big
    // row's header keeps its best postings, which stand in for the row until the page reaches
    // into what the row did not keep (then the row is read).
    const top = topTries > 0 && plan.oneWord ? await this.segments.readTop(query.include[0]) : null;
    // The thread, the tag, the author and a few months as lists of their own (when the index has
    // them): each filter a union of terms' lists.
    const facets = !top && plan.wanted.length && (await this.facetsComplete.fresh()) ? plan.wanted : [];
    const [lists, excluded, read]: TermList[][] = top
      ? [[{ list: top.list, from: 0, df: top.df }], [], []]
      : await Promise.all([
          Promise.all(query.include.map((t) => this.segments.read(t))),
          Promise.all(query.exclude.map((t) => this.segments.read(t))),
          Promise.all(facets.map((terms) => this.union(terms))),
        ]);
    return { top, lists, excluded, read };
  }

  /**
   * The page when nothing needs checking on the documents: the page's index documents, and a few
   * more for any that turn out hidden since they were indexed or whose ordinal is an old one
   * (edited, moderated): when too many are, more.
   */
  private async unfiltered(
    plan: SearchPlan,
    ranking: Ranking,
    clock: Clock,
    { top, topTries, approximate }: { top: TopList | null; topTries: number; approximate: boolean },
  ): Promise<SearchPage> {
    const { query, page, start, needed } = plan;
    let k = needed + 4;
    let rowsRead = 0;
    for (let round = 0; ; round += 1) {
      const { best, counted } = rank(ranking, k);
      clock.lap('rank');
      if (top?.cut.length) {
        const reach = reaching(top, best, k, ranking.idf[0]);
        // Past the budget a whole list is read with (a rare kind asked for, a deep page): that.
        rowsRead += reach.reduce((sum, c) => sum + c.row.n, 0);
        if (rowsRead > READ_BUDGET) return this.search(plan.params, 0);
        if (reach.length) {
          // A row merged away meanwhile: start again.
          if (!(await this.readRows(top, reach, ranking))) return this.search(plan.params, topTries - 1);
          clock.lap('rows');
          round -= 1;
          continue;
        }
      }
      const kept = best.slice(start);
      const docs = await this.byOrdinal(kept.map((c) => c.ord));
      clock.lap('docs');
      const shown = kept.flatMap((c) => {
        const doc = docs.get(c.ord);
        return doc ? [{ doc, score: c.score }] : [];
      });
      // (Rows a one-word search has not read may hold more.)
      if (shown.length < needed - start && (counted > k || Boolean(top?.cut.length)) && round < 2) {
        k *= 4;
        continue;
      }
      const results = await this.describe(shown, query, { everything: false, drafts: false });
      clock.lap('describe');
      return { query, results, page, hasNext: counted > start + PER_PAGE, approximate, laps: clock.laps };
    }
  }

  /** Reads these rows whole into the word's list and intersects again; false when one is gone. */
  private async readRows(top: TopList, reach: TopList['cut'], ranking: Ranking): Promise<boolean> {
    const whole = await this.segments.whole(reach.map((c) => c.row));
    if (!whole) return false;
    top.cut = top.cut.filter((c) => !reach.includes(c));
    ranking.lists[0] = { ...ranking.lists[0], list: merge([ranking.lists[0].list, ...whole]) };
    ranking.matches = intersect([ranking.lists[0].list]);
    return true;
  }

  /** The page when filters are checked on the documents: of the best MAX_CHECKED candidates. */
  private async filtered(
    plan: SearchPlan,
    ranking: Ranking,
    clock: Clock,
    approximate: boolean,
  ): Promise<SearchPage> {
    const { params, query, page, start, needed } = plan;
    const { best: candidates, counted } = rank(ranking, MAX_CHECKED);
    clock.lap('rank');
    const found = await this.checked(candidates, plan);
    clock.lap('docs');
    // Only the best MAX_CHECKED were looked at: when they ran out before the page was full, what
    // ranks below them was never checked.
    const ranOut = counted > MAX_CHECKED && found.length < needed;
    const results = await this.describe(found.slice(start, start + PER_PAGE), query, {
      everything: Boolean(params.everything),
      drafts: Boolean(params.drafts),
      author: params.author,
    });
    clock.lap('describe');
    return {
      query,
      results,
      page,
      hasNext: found.length > start + PER_PAGE,
      approximate: approximate || ranOut,
      laps: clock.laps,
    };
  }

  /**
   * Candidates best first, their index documents read a batch at a time and checked against the
   * filters, until the page (and one more, to know if there is a next page) is full.
   */
  private async checked(
    candidates: { ord: number; score: number }[],
    { params, query, needed }: SearchPlan,
  ): Promise<{ doc: SearchDoc; score: number }[]> {
    const found: { doc: SearchDoc; score: number }[] = [];
    for (let read = 0; read < candidates.length && found.length < needed; ) {
      const batch = candidates.slice(read, read + (read === 0 ? 60 : 200));
      read += batch.length;
      const docs = await this.byOrdinal(batch.map((c) => c.ord));
      const passed = batch.flatMap((c) => {
        const doc = docs.get(c.ord);
        return doc && this.passes(doc, params) ? [{ doc, score: c.score }] : [];
      });
      found.push(...(query.phrases.length ? await this.withPhrases(passed, query.phrases) : passed));
    }
    return found;
  }

  /** Whether the document is one this search may show and its filters allow. */
  private passes(doc: SearchDoc, params: SearchParams): boolean {
    if (!this.visible(doc, params.everything, params.drafts)) return false;
    if (params.postId && !doc.post.equals(params.postId)) return false;
    const tag = params.tag?.trim().toLowerCase();
    if (tag && !doc.tags.some((t) => t.toLowerCase() === tag)) return false;
    if (params.author && doc.au !== fold(params.author.trim())) return false;
    if (params.from && doc.at < params.from) return false;
    if (params.to && doc.at > params.to) return false;
    return true;
  }

  /**
   * Which matches are the post's comments (search within a thread): when there are few matches,
   * their index documents say; when many, the post's own (by the `post` index).
   */
  private async inThread(postId: Types.ObjectId, matches: Matches): Promise<Set<number>> {
    if (matches.count <= 500) {
      const docs = await this.byOrdinal([...matches.ord.subarray(0, matches.count)]);
      return new Set([...docs.values()].filter((d) => d.post.equals(postId)).map((d) => d.o));
    }
    const docs = await SearchDocModel.find({ post: postId, k: 'c' }).select('o').lean<{ o: number }[]>();
    return new Set(docs.map((d) => d.o));
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

  private visible(doc: SearchDoc, everything?: boolean, drafts?: boolean): boolean {
    if (doc.k === 'p') return doc.st === 'published' || Boolean(drafts);
    if (!doc.pub && !drafts) return false;
    return doc.st === 'visible' || Boolean(everything);
  }

  /** Index documents by ordinal. */
  private async byOrdinal(ordinals: number[]): Promise<Map<number, SearchDoc>> {
    const found = new Map<number, SearchDoc>();
    for (let i = 0; i < ordinals.length; i += 500) {
      const docs = await SearchDocModel.find({ o: trusted({ $in: ordinals.slice(i, i + 500) }) }).lean<
        SearchDoc[]
      >();
      for (const doc of docs) found.set(doc.o, doc);
    }
    return found;
  }

  /** The documents with any of these terms (a filter's list). */
  private async union(terms: string[]): Promise<TermList> {
    const lists = await Promise.all(terms.map((t) => this.segments.read(t)));
    return { list: merge(lists.map((l) => l.list)), from: Math.max(0, ...lists.map((l) => l.from)) };
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
        ? findComments({ _id: trusted({ $in: commentIds }) })
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

  /**
   * Results for these documents, in this order, up to a page of them: reads the comments, their
   * posts' titles and the posts themselves (at once: the index documents say which post a comment
   * is on), and drops what readers may not see (unless `everything`), whatever the index said: the
   * posts and comments are the authority.
   */
  private async describe(
    shown: { doc: Identity; score: number }[],
    query: ParsedQuery,
    may: { everything: boolean; drafts: boolean; author?: string },
  ): Promise<SearchResult[]> {
    const commentIds = shown.filter((m) => m.doc.k === 'c').map((m) => m.doc._id);
    const postIds = shown.filter((m) => m.doc.k === 'p').map((m) => m.doc._id);
    const commentPostIds = [
      ...new Set(shown.filter((m) => m.doc.k === 'c').map((m) => String(m.doc.post))),
    ].map((id) => new Types.ObjectId(id));
    const [comments, posts, commentPosts] = await Promise.all([
      commentIds.length
        ? findComments({ _id: trusted({ $in: commentIds }) })
            .select('bodyHtml authorName number post status createdAt')
            .lean<Comment[]>()
        : [],
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
    const results: SearchResult[] = [];
    const seen = new Set<string>();
    for (const { doc, score } of shown) {
      if (results.length === PER_PAGE) break;
      if (seen.has(String(doc._id))) continue;
      seen.add(String(doc._id));
      const result =
        doc.k === 'p'
          ? this.postResult(postById.get(String(doc._id)), query, may, score)
          : this.commentResult(commentById.get(String(doc._id)), postById, query, may, score);
      if (result) results.push(result);
    }
    return results;
  }

  private postResult(
    post: Post | undefined,
    query: ParsedQuery,
    may: { drafts: boolean; author?: string },
    score: number,
  ): SearchResult | null {
    if (!post || (!may.drafts && post.status !== 'published')) return null;
    const body = postText(post, false);
    if (!matches(`${post.title} ${body} ${post.authorName}`, query)) return null;
    if (may.author && fold(post.authorName) !== fold(may.author.trim())) return null;
    return {
      kind: 'post',
      id: String(post._id),
      url: `/posts/${post.slug}`,
      title: post.title,
      author: post.authorName,
      snippet: snippet(body, query),
      date: post.publishedAt ?? post.createdAt,
      status: post.status === 'published' ? undefined : post.status,
      score,
    };
  }

  private commentResult(
    comment: Comment | undefined,
    postById: Map<string, Post>,
    query: ParsedQuery,
    may: { everything: boolean; drafts: boolean; author?: string },
    score: number,
  ): SearchResult | null {
    const post = comment && postById.get(String(comment.post));
    if (!comment || !post) return null;
    const published = post.status === 'published';
    if (!published && !may.drafts) return null;
    if (comment.status !== 'visible' && !may.everything) return null;
    // An edit since it was indexed may have taken the words out, a renamed or deleted account
    // changed the name: the comment itself is the authority.
    const body = plainText(comment.bodyHtml);
    if (!matches(`${comment.authorName} ${body}`, query)) return null;
    if (may.author && fold(comment.authorName) !== fold(may.author.trim())) return null;
    return {
      kind: 'comment',
      id: String(comment._id),
      url: `/posts/${post.slug}/comments/${String(comment._id)}`,
      title: post.title,
      number: comment.number,
      author: comment.authorName,
      snippet: snippet(body, query),
      date: comment.createdAt,
      status:
        comment.status === 'visible' && published
          ? undefined
          : published
            ? comment.status
            : `${comment.status}, post not published`,
      score,
    };
  }
}

/** Whether the text has every word of the query and none of its `-words`. */
function matches(text: string, query: Pick<ParsedQuery, 'include' | 'exclude'>): boolean {
  return hasStems(text, query.include, query.exclude);
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

/** What a document is, as far as a result page needs to know before reading it. */
type Identity = Pick<SearchDoc, '_id' | 'k' | 'post'>;

/** What a search asks for, worked out before anything is read. */
interface SearchPlan {
  params: SearchParams;
  query: ParsedQuery;
  page: number;
  type: 'all' | 'posts' | 'comments';
  /** Moderators' or admins' wider view. */
  wider: boolean;
  /** The page's first match. */
  start: number;
  /** Matches that fill the page, and one more to know if there is a next page. */
  needed: number;
  /** Whether filters, phrases or the wider view are checked on the documents. */
  checks: boolean;
  /** One word and no filters: the rows' kept best may stand in for the word's list. */
  oneWord: boolean;
  /** The filters as lists of their own, each a union of terms' lists. */
  wanted: string[][];
}

/** Parses the query and works out the page, the filters and which lists to read. */
function planSearch(params: SearchParams): SearchPlan {
  const query = parseQuery(params.q ?? '');
  const page = Math.max(1, Math.min(50, params.page ?? 1));
  const wider = Boolean(params.everything || params.drafts);
  const start = (page - 1) * PER_PAGE;
  const checks = Boolean(
    wider || params.tag || params.author || params.from || params.to || query.phrases.length,
  );
  return {
    params,
    query,
    page,
    type: params.postId ? 'comments' : (params.type ?? 'all'),
    wider,
    start,
    needed: start + PER_PAGE + 1,
    checks,
    oneWord: query.include.length === 1 && !query.exclude.length && !checks && !params.postId,
    wanted: wantedFacets(params),
  };
}

/**
 * The thread, the tag, the author and a few months, as the terms whose lists each filter reads.
 * (Scheduled posts, which admins find, are dated ahead: an open-ended range is theirs to check.)
 */
function wantedFacets(params: SearchParams): string[][] {
  const months = params.drafts && !params.to ? null : monthsOf(params.from, params.to);
  return [
    ...(params.postId ? [[facet.post(params.postId)]] : []),
    ...(params.tag?.trim() ? [[facet.tag(params.tag)]] : []),
    ...(params.author?.trim() ? [[facet.author(params.author)]] : []),
    ...(months ? [months] : []),
  ];
}

/** A page without results. */
function emptyPage({ query, page }: SearchPlan, clock: Clock): SearchPage {
  return { query, results: [], page, hasNext: false, approximate: false, laps: clock.laps };
}

type Clock = ReturnType<typeof stopwatch>;

/** The lists a search read (`top`: a one-word search's kept best, which the words' list holds). */
interface ReadLists {
  top: TopList | null;
  lists: TermList[];
  excluded: TermList[];
  read: TermList[];
}

/** What ranking reads: the words' lists (the first is replaced as rows are read) and the matches. */
interface Ranking {
  lists: TermList[];
  idf: number[];
  matches: Matches;
  /** The thread's comments, when its list was not intersected. */
  thread: Set<number> | null;
  type: SearchPlan['type'];
  wider: boolean;
}

/** Each word's IDF over n documents. */
function idfOf(lists: TermList[], n: number): number[] {
  return lists.map((l) => {
    // A list read in part: its documents counted as if the rest were as dense.
    const last = l.list.ord[l.list.ord.length - 1];
    const df =
      l.df ??
      (l.from > 0 ? (l.list.ord.length * (last + 1)) / Math.max(1, last + 1 - l.from) : l.list.ord.length);
    return Math.log(1 + (Math.max(n, df) - df + 0.5) / (df + 0.5));
  });
}

/** The k best matches this search may show, and how many there are. */
function rank({ lists, idf, matches, thread, type, wider }: Ranking, k: number) {
  const wantComments = type === 'comments';
  const best = new TopK(k);
  let counted = 0;
  const flags = lists[0].list.flags;
  for (let m = 0; m < matches.count; m += 1) {
    const f = flags[matches.at[0][m]];
    if (type !== 'all' && ((f & COMMENT) === COMMENT) !== wantComments) continue;
    if (!wider && !(f & SHOWN)) continue;
    const ord = matches.ord[m];
    if (thread && !thread.has(ord)) continue;
    let score = 0;
    for (let i = 0; i < lists.length; i += 1) score += idf[i] * weightOf(lists[i].list.w[matches.at[i][m]]);
    best.add(score, ord);
    counted += 1;
  }
  return { best: best.best(), counted };
}

/**
 * Rows whose unkept postings could rank among these k (all of them while there are fewer than k):
 * they are read whole, and ranked again.
 */
function reaching(
  top: TopList,
  best: { ord: number; score: number }[],
  k: number,
  idf: number,
): TopList['cut'] {
  const kth = best.length >= k ? best[k - 1] : null;
  return top.cut.filter(({ worst }) => {
    if (!kth) return true;
    const score = idf * weightOf(worst.w);
    return !(score < kth.score || (score === kth.score && worst.ord < kth.ord));
  });
}

/** A quantized weight back as a BM25 weight. */
const weightOf = (w: number) => (w / 255) * (K1 + 1);

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
