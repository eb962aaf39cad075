import { randomBytes } from 'node:crypto';
import { decodeHTML } from 'entities';
import { threadQuery, threadUrl } from '../lib/thread-url.js';
import { SHARED_PAGE, type SharedPage } from '../middleware/shared-pages.js';
import type { Request, Response } from 'express';
import type { Post } from '../../models/post.js';
import { letterWriterOn, viewerOf } from '../auth/guards.js';
import type { Config } from '../config/index.js';
import type { ThreadOrder } from '../services/comments/thread.js';
import type { CommentView } from '../services/comments/comment-view.js';
import type { Services } from '../services/index.js';
import { type CommentContext, type ThreadFragments } from '../rendering/thread-fragments.js';

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

/**
 * Renders a post with one page of its thread and the comment form. The form
 * state comes back here when a no-JavaScript post fails validation (400).
 */
export async function renderPostPage(
  req: Request,
  res: Response,
  deps: Pick<Services, 'comments' | 'gate'> & { fragments: ThreadFragments } & Partial<
      Pick<Services, 'accounts' | 'follows'>
    >,
  config: Config,
  post: Post,
  options: PostPageOptions,
): Promise<void> {
  // An account's previous visit, for "new since your last visit" (guests keep theirs in the browser).
  const lastVisit = req.user && deps.accounts ? deps.accounts.recordVisit(req.user.id, post._id) : null;
  const following = req.user && deps.follows ? deps.follows.isFollowing(req.user, post._id) : null;
  const viewer = viewerOf(req);
  const moderator = Boolean(viewer.moderator);
  const thread = await deps.comments.threadPage(post, {
    page: options.page,
    order: options.order,
    viewer,
  });
  const comments = thread.comments;
  const form: CommentFormState = options.form ?? {
    values: { name: '', email: '', body: '', parent: options.replyTo ?? '' },
    errors: {},
  };
  const parentId = form.values.parent;
  const replyTarget = parentId ? findComment(comments, parentId) : undefined;
  if (replyTarget && options.quote && !form.values.body) {
    form.values.body = quoteOf(replyTarget.bodyHtml, replyTarget.authorName);
  }
  const orderQuery = threadQuery({ order: options.order }, '&');
  const here = threadQuery(options, '');
  const replyQuery = here ? `${here}&` : '';
  const commentsOpen = deps.gate.commentsOpen(post);
  const pageBase = `/posts/${post.slug}`;
  const letterWriter = letterWriterOn(req, post._id);

  const commentCtx: CommentContext = {
    pageBase,
    replyQuery,
    commentsOpen,
    currentUserId: req.user?.id ?? null,
    moderator,
    csrfToken: String(res.locals.csrfToken ?? ''),
  };
  const threadHtml = deps.fragments.list(thread, commentCtx);

  // The same for every reader without a session: the page is kept whole until the post changes.
  const shared = thread.shared && !req.user && !moderator && !letterWriter && !options.form && !parentId;
  if (shared) {
    const page: SharedPage = { tags: [`post:${post._id}`], url: threadUrl(post.slug, options) };
    res.locals[SHARED_PAGE] = page;
  }
  res.render('posts/show', {
    title: post.title,
    description: post.excerpt,
    canonical: `${config.siteUrl}${pageBase}`,
    commentsFeed: `${pageBase}/comments.xml`,
    scripts: ['/socket.io/socket.io.js', '/js/thread.js', '/js/live.js', '/js/reading-aids.js'],
    lastVisit: (await lastVisit)?.toISOString() ?? '',
    canFollow: Boolean(req.user && deps.follows && post.status === 'published'),
    following: await following,
    followDigestMinutes: config.followDigestMinutes,
    post,
    isDraft: post.status !== 'published',
    commentsOpen,
    // The letter writer came to read the answer: their form stands right under it, not under the thread.
    letterWriterFirst: Boolean(letterWriter) && commentsOpen && !replyTarget,
    isModerator: moderator,
    postId: String(post._id),
    threadHtml,
    thread: {
      total: thread.total,
      order: options.order,
      newest: options.order === 'newest',
      paging: thread.paging,
      pageBase,
      extraQuery: `${orderQuery}#comments`,
      replyQuery,
    },
    form: {
      ...form,
      hasErrors: Object.keys(form.errors).length > 0,
      replyTarget: replyTarget && {
        id: replyTarget.id,
        number: replyTarget.number,
        authorName: replyTarget.authorName,
      },
      user: req.user,
      csrfToken: commentCtx.csrfToken,
      letterWriter,
      mayComment: Boolean(req.user) || config.allowGuestComments || Boolean(letterWriter),
      action: `${pageBase}/comments`,
      cancelHref: threadUrl(post.slug, options, 'respond'),
      order: options.order,
      // This form's one-time id: sent twice (a retry after a timeout), it posts once.
      submissionId: randomBytes(12).toString('base64url'),
    },
  });
}
