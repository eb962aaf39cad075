import { randomBytes } from 'node:crypto';
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
import { type CommentContext, type ThreadFragments } from '../rendering/thread-fragments.js';
import { PARTS_SLOT, renderToString, sendParts } from '../rendering/send-parts.js';

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

type PostPageDeps = Pick<Services, 'comments' | 'gate'> & { fragments: ThreadFragments } & Partial<
    Pick<Services, 'accounts' | 'follows' | 'likes'>
  >;
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
  const { lastVisit, following, liked } = readerState(req, deps, post);
  const viewer = viewerOf(req);
  const thread = await deps.comments.threadPage(post, { page: options.page, order: options.order, viewer });
  const form = formState(options, thread.comments);
  const ctx = commentContext(
    req,
    res,
    post,
    options,
    deps.gate.commentsOpen(post),
    Boolean(viewer.moderator),
  );
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
    canFollow: Boolean(req.user && deps.follows && post.status === 'published'),
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
    form: formView(req, config, post, options, { form, replyTarget, csrfToken: ctx.csrfToken, letterWriter }),
  };
  if (shared) return res.render('posts/show', locals);
  sendParts(req, res, await renderToString(res, 'posts/show', locals), parts);
}

/** The same for every reader without a session: the page is kept whole until the post changes. */
function markShared(req: Request, res: Response, post: Post, options: PostPageOptions, sameForAll: boolean) {
  if (!sameForAll || req.user || options.form) return;
  const page: SharedPage = { tags: [`post:${post._id}`], url: threadUrl(post.slug, options) };
  res.locals[SHARED_PAGE] = page;
}

/** What the page shows of the signed-in reader, read at once (nothing for a guest). */
function readerState(req: Request, deps: PostPageDeps, post: Post) {
  const user = req.user;
  return {
    // An account's previous visit, for "new since your last visit" (guests keep theirs in the browser).
    lastVisit: user && deps.accounts ? deps.accounts.recordVisit(user.id, post._id) : null,
    following: user && deps.follows ? deps.follows.isFollowing(user, post._id) : null,
    // What an account likes here: its pressed buttons (a guest's page is shared; its script asks).
    liked: user && deps.likes ? deps.likes.likedOn(post._id, { user }) : null,
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
  req: Request,
  res: Response,
  post: Post,
  options: PostPageOptions,
  commentsOpen: boolean,
  moderator: boolean,
): CommentContext {
  const here = threadQuery(options, '');
  return {
    pageBase: `/posts/${post.slug}`,
    replyQuery: here ? `${here}&` : '',
    commentsOpen,
    currentUserId: req.user?.id ?? null,
    moderator,
    canFeature: canFeature(req.user),
    csrfToken: String(res.locals.csrfToken ?? ''),
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
  req: Request,
  config: Config,
  post: Post,
  options: PostPageOptions,
  parts: {
    form: CommentFormState;
    replyTarget: CommentView | undefined;
    csrfToken: string;
    letterWriter: ReturnType<typeof letterWriterOn>;
  },
) {
  const { form, replyTarget, letterWriter } = parts;
  return {
    ...form,
    hasErrors: Object.keys(form.errors).length > 0,
    replyTarget: replyTarget && {
      id: replyTarget.id,
      number: replyTarget.number,
      authorName: replyTarget.authorName,
    },
    user: req.user,
    csrfToken: parts.csrfToken,
    letterWriter,
    mayComment: Boolean(req.user) || config.allowGuestComments || Boolean(letterWriter),
    action: `/posts/${post.slug}/comments`,
    cancelHref: threadUrl(post.slug, options, 'respond'),
    order: options.order,
    // This form's one-time id: sent twice (a retry after a timeout), it posts once.
    submissionId: randomBytes(12).toString('base64url'),
  };
}
