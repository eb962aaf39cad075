import type { Request, RequestHandler } from 'express';
import { ForbiddenError, ValidationError } from '../errors/index.js';
import { serverTiming } from '../lib/stopwatch.js';
import type { Services } from '../services/index.js';
import { parseFilters, type SearchPage, type SearchParams } from '../services/search/search-service.js';
import { canAdminister, canModerate } from '../lib/roles.js';

/** /search, /api/search and title suggestions: one service, the page and the JSON alike. */
// eslint-disable-next-line max-lines-per-function -- a factory of route handlers: each handler inside is its own function, measured on its own
export function searchController(services: Pick<Services, 'search' | 'posts'>) {
  /** The request's search: its filters, the thread it is limited to, and whether it may see everything. */
  async function paramsOf(
    req: Request,
  ): Promise<{ params: SearchParams; postTitle?: string; postSlug?: string }> {
    const filters = parseFilters(req.query as Record<string, unknown>);
    const wantsEverything = req.query.scope === 'all';
    if (wantsEverything && !canModerate(req.user)) {
      throw new ForbiddenError('Only moderators can search held and removed comments.');
    }
    const slug = typeof req.query.post === 'string' ? req.query.post.trim() : '';
    // Drafts may hold a reader's letter: only admins (who may read everything) find them.
    const drafts = wantsEverything && canAdminister(req.user);
    const post = slug ? await services.posts.getBySlug(slug, { includeDrafts: drafts }) : undefined;
    // Filtered searches read documents one by one: fewer pages of them.
    if (
      filters.page &&
      filters.page > 10 &&
      (filters.tag || filters.author || filters.from || filters.to || slug)
    ) {
      filters.page = 10;
    }
    return {
      params: { ...filters, postId: post?._id, everything: wantsEverything, drafts },
      postTitle: post?.title,
      postSlug: post?.slug,
    };
  }

  /** The same search with another page number, as a link. */
  function pageHref(req: Request, page: number): string {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query)) {
      if (typeof value === 'string' && value && key !== 'page') query.set(key, value);
    }
    if (page > 1) query.set('page', String(page));
    return `/search?${query.toString()}`;
  }

  function json(page: SearchPage) {
    return {
      page: page.page,
      hasNext: page.hasNext,
      approximate: page.approximate,
      query: {
        words: page.query.include,
        excluded: page.query.exclude,
        phrases: page.query.phrases.map((p) => p.join(' ')),
      },
      results: page.results.map((r) => ({
        kind: r.kind,
        url: r.url,
        title: r.title,
        number: r.number,
        author: r.author,
        snippet: r.snippet,
        date: r.date,
        ...(r.status ? { status: r.status } : {}),
      })),
    };
  }

  /** The search page's data: the form as sent, its errors, and the page of results. */
  function searchView(
    req: Request,
    found: {
      errors: Record<string, string>;
      page: SearchPage | undefined;
      context: Awaited<ReturnType<typeof paramsOf>> | undefined;
    },
  ) {
    const { errors, page, context } = found;
    const value = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
    const q = value('q');
    return {
      title: q ? `Search: ${q}` : 'Search',
      q,
      values: {
        type: value('type') || 'all',
        tag: value('tag'),
        author: value('author'),
        from: value('from'),
        to: value('to'),
      },
      errors,
      hasErrors: Object.keys(errors).length > 0,
      postSlug: context?.postSlug,
      postTitle: context?.postTitle,
      everything: context?.params.everything,
      searched: Boolean(page),
      results: page?.results ?? [],
      approximate: page?.approximate,
      nothingToFind: Boolean(q) && page && !page.query.include.length,
      pageNumber: page?.page ?? 1,
      newerHref: page && page.page > 1 ? pageHref(req, page.page - 1) : undefined,
      olderHref: page?.hasNext ? pageHref(req, page.page + 1) : undefined,
    };
  }

  return {
    /** GET /search?q=&type=&tag=&author=&from=&to=&post=&scope=&page= */
    page: (async (req, res) => {
      let errors: Record<string, string> = {};
      let page: SearchPage | undefined;
      let context: Awaited<ReturnType<typeof paramsOf>> | undefined;
      try {
        context = await paramsOf(req);
        if (context.params.q) {
          await services.search.admit(req.ip ?? '');
          page = await services.search.search(context.params);
          res.setHeader('Server-Timing', serverTiming(page.laps));
        }
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        errors = err.details ?? {};
        res.status(400);
      }
      res.render('search/index', searchView(req, { errors, page, context }));
    }) satisfies RequestHandler,

    /** GET /api/search: the same parameters, JSON. */
    api: (async (req, res) => {
      const { params } = await paramsOf(req);
      if (!params.q) throw new ValidationError('Say what to search for: ?q=words.', { q: 'Required.' });
      await services.search.admit(req.ip ?? '');
      const page = await services.search.search(params);
      res.setHeader('Server-Timing', serverTiming(page.laps));
      res.json(json(page));
    }) satisfies RequestHandler,

    /** GET /api/search/suggest?q=: post titles for what is being typed. */
    suggest: (async (req, res) => {
      const q = typeof req.query.q === 'string' ? req.query.q : '';
      res.setHeader('Cache-Control', 'public, max-age=30');
      res.json({ suggestions: await services.search.suggest(q) });
    }) satisfies RequestHandler,
  };
}
