import { decodeHTML } from 'entities';
import { threadQuery, threadUrl } from '../lib/thread-url.js';
import { SHARED_PAGE, type SharedPage } from '../middleware/shared-pages.js';
import type { Request, Response } from 'express';
import type { Post } from '../../models/post.js';
import { letterWriterOn, viewerOf } from '../auth/guards.js';
import { canFeature } from '../lib/roles.js';
import type { Config } from '../config/index.js';
import type { ThreadOrder } from '../services/comments/thread.js';
import type { CommentView } from '../services/comments/comment-view.js';
import type { Services } from '../services/index.js';
import { type CommentContext, type PagePart, type ThreadFragments } from '../rendering/thread-fragments.js';
import { PARTS_SLOT, renderToString, sendParts } from '../rendering/send-parts.js';
import { keptHeaders, PAGE_TICKET } from '../middleware/shared-pages.js';
import type { PageCache } from '../rendering/page-cache.js';
import type { Renderer } from '../rendering/engine.js';
import type { DeflatedPiece } from '../rendering/gzip-pieces.js';
import type { FramedReader, ReaderChrome } from '../rendering/reader-chrome.js';
import { FRESH_ID, READER_SLOTS, slotMarker } from '../rendering/slots.js';
import { freshId } from '../lib/fresh-id.js';
import { fillPostFrame, frameKey, makePostFrame, PARTS, type PostFrame } from '../rendering/post-frame.js';
import { sendPieces } from '../rendering/send-pieces.js';
import type { SessionUser } from '../services/accounts/user-service.js';
import { canModerate } from '../lib/roles.js';

export interface CommentFormState {
  values: { name: string; email: string; body: string; parent: string; notify?: boolean };
  errors: Record<string, string>;
  summary?: string;
}

export interface PostPageOptions {
  page: number;
  order: ThreadOrder;
  replyTo?: string;
  quote?: boolean;
  form?: CommentFormState;
}

function findComment(comments: CommentView[], id: string): CommentView | undefined {
  for (const comment of comments) {
    if (comment.id === id) return comment;
    const inner = findComment(comment.children, id);
    if (inner) return inner;
  }
  return undefined;
}

function quoteOf(html: string, name: string): string {
  const text = decodeHTML(html.replace(/<\/(p|li|blockquote|pre)>|<br\s*\/?>/g, '\n').replace(/<[^>]+>/g, ''))
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n> ');
  return `> **${name} wrote:**\n> ${text}\n\n`;
}

/** What signed-in readers' post pages are made with: frames kept in the page cache, and the layout's reader parts. */
export interface PostFrames {
  cache: PageCache;
  chrome: ReaderChrome;
  renderer: Renderer;
}

export type PostPageDeps = Pick<Services, 'comments' | 'gate'> & {
  fragments: ThreadFragments;
  frames?: PostFrames;
} & Partial<Pick<Services, 'accounts' | 'follows' | 'likes'>>;

type ThreadPageView = Awaited<ReturnType<Services['comments']['threadPage']>>;

/**
 * Renders a post with one page of its thread and the comment form. The form
 * state comes back here when a no-JavaScript post fails validation (400).
 */
export async function renderPostPage(
  req: Request,
  res: Response,
  deps: PostPageDeps,
  config: Config,
  post: Post,
  options: PostPageOptions,
): Promise<void> {
  const { lastVisit, following, liked } = readerState(req.user, deps, post);
  const viewer = viewerOf(req);
  const thread = await deps.comments.threadPage(post, { page: options.page, order: options.order, viewer });
  const form = formState(options, thread.comments);
  const ctx = commentContext(post, options, {
    user: req.user,
    csrfToken: formToken(res),
    commentsOpen: deps.gate.commentsOpen(post),
    moderator: Boolean(viewer.moderator),
  });
  const letterWriter = letterWriterOn(req, post._id);
  const replyTarget = form.values.parent ? findComment(thread.comments, form.values.parent) : undefined;
  markShared(
    req,
    res,
    post,
    options,
    Boolean(thread.shared && !ctx.moderator && !letterWriter && !form.values.parent),
  );
  const reader = req.user ? { userId: req.user.id, liked: (await liked) ?? [] } : null;
  // A page kept for every reader without a session is rendered whole; a signed-in reader's is the
  // thread's shared parts around what is theirs, sent without compressing the shared parts again.
  const shared = Boolean(res.locals[SHARED_PAGE]) || !reader;
  const parts = shared ? [] : deps.fragments.listFor(thread, ctx, reader!);
  const locals = {
    title: post.title,
    description: post.excerpt,
    canonical: `${config.siteUrl}${ctx.pageBase}`,
    commentsFeed: `${ctx.pageBase}/comments.xml`,
    scripts: [
      '/socket.io/socket.io.js',
      '/js/thread.js',
      '/js/comment-box.js',
      '/js/comment-edit.js',
      '/js/likes.js',
      '/js/live.js',
      '/js/reading-aids.js',
    ],
    lastVisit: (await lastVisit)?.toISOString() ?? '',
    canFollow: canFollow(req.user, deps, post),
    following: await following,
    followDigestMinutes: config.followDigestMinutes,
    post,
    isDraft: post.status !== 'published',
    commentsOpen: ctx.commentsOpen,
    // The letter writer came to read the answer: their form stands right under it, not under the thread.
    letterWriterFirst: Boolean(letterWriter) && ctx.commentsOpen && !replyTarget,
    isModerator: ctx.moderator,
    postId: String(post._id),
    threadHtml: shared ? deps.fragments.list(thread, ctx) : PARTS_SLOT,
    featured: thread.featured,
    // What a staff action on this thread did (Pick, Lock…): said to staff only, who came from it.
    notice: ctx.moderator || ctx.canFeature ? doneNotice(req.query.done) : undefined,
    thread: threadView(thread, options, ctx),
    form: formView(req.user, config, post, options, {
      form,
      replyTarget,
      csrfToken: ctx.csrfToken,
      letterWriter,
    }),
  };
  if (shared) return res.render('posts/show', locals);
  if (deps.frames && thread.shared && framed(req, options, letterWriter, ctx)) {
    return sendFramed(req, res, deps.frames, post, options, { locals, parts, csrfToken: ctx.csrfToken });
  }
  sendParts(req, res, await renderToString(res, 'posts/show', locals), parts);
}

/**
 * Whether a signed-in reader's page is their frame filled (the same as rendering it whole, and
 * what the pages answered before Express make): no role on the thread, nothing of theirs held, no
 * letter-writer link, a fresh form on the thread's own address.
 */
function framed(
  req: Request,
  options: PostPageOptions,
  letterWriter: string | undefined,
  ctx: CommentContext,
) {
  return (
    Boolean(req.user) &&
    !canModerate(req.user) &&
    !ctx.canFeature &&
    !letterWriter &&
    !options.form &&
    !options.replyTo &&
    !options.quote &&
    !req.session?.held?.length
  );
}

/** A framed reader's page: the post's frame (kept, or made now) filled for them. */
async function sendFramed(
  req: Request,
  res: Response,
  frames: PostFrames,
  post: Post,
  options: PostPageOptions,
  page: { locals: Record<string, unknown>; parts: PagePart[]; csrfToken: string },
): Promise<void> {
  const frame = await frameFor(req, res, frames, post, options, page.locals);
  const locals = {
    ...page.locals,
    csrfToken: page.csrfToken,
    form: { ...(page.locals.form as object), submissionId: FRESH_ID },
  };
  const fill = {
    locals: () => locals,
    chrome: frames.chrome.parts(framedReader(req, res)),
    parts: page.parts,
    own: { reader: req.sessionID, state: ownState(locals, req.user!, page.csrfToken) },
  };
  sendPieces(req, res, fillPostFrame(frames.renderer, frame, fill));
}

/** All that a framed reader's own slots show beyond their frame (fillPostFrame's `own.state`). */
function ownState(locals: Record<string, unknown>, user: SessionUser, csrfToken: string): unknown[] {
  return [user, csrfToken, locals.following, locals.lastVisit, locals.canFollow];
}

/** The form token the csrf middleware gave this response ('' when none). */
function formToken(res: Response): string {
  return String(res.locals.csrfToken ?? '');
}

function framedReader(req: Request, res: Response): FramedReader {
  return {
    sid: req.sessionID,
    user: req.user!,
    csrfToken: formToken(res),
    unreadReplies: res.locals.unreadReplies as number | string,
    warning: res.locals.warning as unknown,
    url: req.originalUrl,
  };
}

/**
 * The post page's frame for signed-in readers: the one kept, when it was made from this version
 * of the post and its thread, or made now (and kept, on the thread's own address, unless a change
 * came since the request began).
 */
async function frameFor(
  req: Request,
  res: Response,
  frames: PostFrames,
  post: Post,
  options: PostPageOptions,
  locals: Record<string, unknown>,
): Promise<PostFrame> {
  const url = threadUrl(post.slug, options);
  const kept = frames.cache.get(frameKey(url))?.extra as PostFrame | undefined;
  if (kept && sameVersion(kept.post, post)) return kept;
  const html = await renderToString(res, 'posts/show', {
    ...locals,
    threadHtml: slotMarker(PARTS, ''),
    [READER_SLOTS]: true,
  });
  const frame = makePostFrame(html, post, options);
  const ticket = res.locals[PAGE_TICKET] as number | undefined;
  if (ticket !== undefined && req.originalUrl === url) {
    frames.cache.store(frameKey(url), [`post:${String(post._id)}`], ticket, html, keptHeaders(res), {
      extra: frame,
    });
  }
  return frame;
}

function sameVersion(a: Post, b: Post): boolean {
  return a.threadVersion === b.threadVersion && a.updatedAt?.getTime() === b.updatedAt?.getTime();
}

/**
 * A signed-in reader's post page made from a kept frame, before Express (reader-pages.ts): what
 * renderPostPage reads and fills for a framed reader, from the frame's post. Null when the thread
 * is the reader's own (a comment of theirs is held): the app renders it.
 */
export async function framedPostPage(
  deps: PostPageDeps & { frames: PostFrames },
  config: Config,
  frame: PostFrame,
  reader: FramedReader,
): Promise<DeflatedPiece[] | null> {
  const { post } = frame;
  const options: PostPageOptions = { page: frame.page, order: frame.order };
  const { user } = reader;
  // Editors pick comments (their page has Pick buttons): the app renders it, as framed() says.
  if (canModerate(user) || canFeature(user)) return null;
  const thread = await deps.comments.threadPage(post, {
    ...options,
    viewer: { userId: user.id, moderator: false },
  });
  if (!thread.shared) return null;
  // Read (and the visit recorded) only for a page answered here: the app records it otherwise.
  const { lastVisit, following, liked } = readerState(user, deps, post);
  const ctx = commentContext(post, options, {
    user,
    csrfToken: reader.csrfToken,
    commentsOpen: deps.gate.commentsOpen(post),
    moderator: false,
  });
  const parts = deps.fragments.listFor(thread, ctx, { userId: user.id, liked: (await liked) ?? [] });
  const own = {
    lastVisit: (await lastVisit)?.toISOString() ?? '',
    canFollow: canFollow(user, deps, post),
    following: await following,
  };
  // The rest of what the slots show, made only when one is rendered (the reader's are kept).
  const locals = () => ({
    ...own,
    followDigestMinutes: config.followDigestMinutes,
    post,
    csrfToken: reader.csrfToken,
    thread: threadView(thread, options, ctx),
    form: formView(
      user,
      config,
      post,
      options,
      {
        form: formState(options, thread.comments),
        replyTarget: undefined,
        csrfToken: ctx.csrfToken,
        letterWriter: undefined,
      },
      FRESH_ID,
    ),
  });
  return fillPostFrame(deps.frames.renderer, frame, {
    locals,
    chrome: deps.frames.chrome.parts(reader),
    parts,
    own: { reader: reader.sid, state: ownState(own, user, reader.csrfToken) },
  });
}

/** The same for every reader without a session: the page is kept whole until the post changes. */
function markShared(req: Request, res: Response, post: Post, options: PostPageOptions, sameForAll: boolean) {
  if (!sameForAll || req.user || options.form) return;
  const page: SharedPage = { tags: [`post:${post._id}`], url: threadUrl(post.slug, options) };
  res.locals[SHARED_PAGE] = page;
}

/** Whether the page offers to follow the post by email: to an account, on a published post. */
function canFollow(user: SessionUser | undefined, deps: PostPageDeps, post: Post): boolean {
  return Boolean(user && deps.follows && post.status === 'published');
}

/** What the page shows of the signed-in reader, read at once (nothing for a guest). */
function readerState(user: SessionUser | undefined, deps: PostPageDeps, post: Post) {
  return {
    // An account's previous visit, for "new since your last visit" (guests keep theirs in the browser).
    lastVisit: user && deps.accounts ? deps.accounts.recordVisit(user.id, post._id) : null,
    following: user && deps.follows ? deps.follows.isFollowing(user, post._id) : null,
    // What an account likes here: its pressed buttons (a guest's page is shared; its script asks).
    liked: user && deps.likes ? deps.likes.likedOn(post._id, { user }, post.threadVersion) : null,
  };
}

/** A staff action's outcome from ?done=, as plain text (escaped by the template), bounded. */
function doneNotice(done: unknown): string | undefined {
  return typeof done === 'string' && done ? done.slice(0, 200) : undefined;
}

/** The comment form's values and errors: those sent back after a refusal, or a fresh form (a reply, a quote). */
function formState(options: PostPageOptions, comments: CommentView[]): CommentFormState {
  const form: CommentFormState = options.form ?? {
    values: { name: '', email: '', body: '', parent: options.replyTo ?? '' },
    errors: {},
  };
  const replyTarget = form.values.parent ? findComment(comments, form.values.parent) : undefined;
  if (replyTarget && options.quote && !form.values.body) {
    form.values.body = quoteOf(replyTarget.bodyHtml, replyTarget.authorName);
  }
  return form;
}

/** What each comment's rendering needs to know of the page and the reader. */
function commentContext(
  post: Post,
  options: PostPageOptions,
  reader: { user: SessionUser | undefined; csrfToken: string; commentsOpen: boolean; moderator: boolean },
): CommentContext {
  const here = threadQuery(options, '');
  return {
    pageBase: `/posts/${post.slug}`,
    replyQuery: here ? `${here}&` : '',
    commentsOpen: reader.commentsOpen,
    currentUserId: reader.user?.id ?? null,
    moderator: reader.moderator,
    canFeature: canFeature(reader.user),
    csrfToken: reader.csrfToken,
  };
}

/** The thread's count, order and pages, for the template. */
function threadView(thread: ThreadPageView, options: PostPageOptions, ctx: CommentContext) {
  return {
    total: thread.total,
    order: options.order,
    // Where a Like without JavaScript comes back to: this page, in this order.
    here: `${ctx.pageBase}${threadQuery(options, '?')}`,
    paging: thread.paging,
    pageBase: ctx.pageBase,
    extraQuery: `${threadQuery({ order: options.order }, '&')}#comments`,
    replyQuery: ctx.replyQuery,
  };
}

/** The comment form, for the template. */
function formView(
  user: SessionUser | undefined,
  config: Config,
  post: Post,
  options: PostPageOptions,
  parts: {
    form: CommentFormState;
    replyTarget: CommentView | undefined;
    csrfToken: string;
    letterWriter: ReturnType<typeof letterWriterOn>;
  },
  /** FRESH_ID in a frame's slot: each page filled from it gets its own. */
  submissionId = freshId(),
) {
  const { form, replyTarget, letterWriter } = parts;
  return {
    ...form,
    // A refusal: field errors, or a summary alone (sent too soon after the last comment).
    hasErrors: Object.keys(form.errors).length > 0 || Boolean(form.summary),
    fieldErrors: Object.keys(form.errors).length > 0,
    replyTarget: replyTarget && {
      id: replyTarget.id,
      number: replyTarget.number,
      authorName: replyTarget.authorName,
    },
    user,
    csrfToken: parts.csrfToken,
    letterWriter,
    mayComment: Boolean(user) || config.allowGuestComments || Boolean(letterWriter),
    // Sent back refused (an error, too soon), the page opens at the form and what it says; a
    // comment taken is redirected to its own place, whose fragment wins.
    action: `/posts/${post.slug}/comments#respond`,
    cancelHref: threadUrl(post.slug, options, 'respond'),
    order: options.order,
    // This form's one-time id: sent twice (a retry after a timeout), it posts once.
    submissionId,
  };
}
