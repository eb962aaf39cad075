import type { ThreadPage } from '../services/comments/comment-service.js';
import { VersionMemo } from '../lib/version-memo.js';
import type { Thread } from '../services/comments/thread.js';
import type { Renderer } from './engine.js';

/** What the comment partial needs besides the comment itself: where the thread lives and who looks. */
export interface CommentContext {
  pageBase: string;
  /** Query to keep in Reply and Quote links (page and order), ending in "&" when not empty. */
  replyQuery: string;
  commentsOpen: boolean;
  currentUserId: string | null;
  moderator: boolean;
  /** An editor or a moderator: Pick and Unpick on shown comments (the columnist's picks). */
  canFeature?: boolean;
  csrfToken: string;
}

/** The context of a reader who is not signed in: what every anonymous reader and a live broadcast share. */
export function publicContext(pageBase: string, commentsOpen: boolean, replyQuery = ''): CommentContext {
  return { pageBase, replyQuery, commentsOpen, currentUserId: null, moderator: false, csrfToken: '' };
}

/**
 * Renders comments with the page's own partials, and keeps the HTML that every anonymous reader
 * of a thread version sees alike for the next one (keyed on the version, dropped with it).
 */
export class ThreadFragments {
  private readonly lists = new VersionMemo<Thread, string>();

  constructor(private readonly renderer: Renderer) {}

  /** A page of comments as HTML: shared pages once per thread version, personal ones each time. */
  list(page: ThreadPage, ctx: CommentContext): string {
    const render = () => this.renderer.renderPartial('comments/list', { comments: page.comments, ctx });
    const anonymous = !ctx.currentUserId && !ctx.moderator && !ctx.canFeature;
    if (!page.shared || !anonymous) return render();
    const key = `${page.order}:${page.paging.page}:${ctx.pageBase}:${ctx.commentsOpen}:${ctx.replyQuery}`;
    return this.lists.get(page.shared, key, render);
  }

  /** One comment without its replies, as a live update shows it to every reader. */
  one(view: object, ctx: CommentContext): string {
    return this.renderer.renderPartial('comments/comment', { ...view, ctx });
  }
}
