import { createHash } from 'node:crypto';
import type { ThreadPage } from '../services/comments/comment-service.js';
import type { CommentView } from '../services/comments/comment-view.js';
import { deflatePiece, type DeflatedPiece } from './gzip-pieces.js';
import { pressLiked } from './liked-buttons.js';
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

/** A part of a page: its text, and (for parts kept and sent many times) its compressed form. */
export interface PagePart {
  text: string;
  deflated?: () => DeflatedPiece;
}

/** A top-level comment with its replies as every reader without a role sees it, kept per thread version. */
interface SharedRoot {
  part: PagePart;
  /**
   * The same, compressed as following the previous top-level comment as shared (deflate's back
   * references reach into it, as in a page compressed whole): a third smaller, and sent only
   * right after that comment as shared. Undefined for the page's first.
   */
  chained?: PagePart;
  /** The comments inside, and the accounts that wrote them: whether a reader sees it otherwise. */
  ids: Set<string>;
  authors: Set<string>;
}

/** Who reads, where it changes a comment's HTML: their own comments, and the ones they like. */
export interface Reader {
  userId: string;
  liked: readonly string[];
}

/**
 * Renders comments with the page's own partials. What every reader of a thread version sees alike
 * is rendered once and kept (keyed on the version, dropped with it): each top-level comment with
 * its replies, as HTML and, once a signed-in reader needs it, compressed. A signed-in reader's
 * page is those same parts, but for the few top-level comments where they wrote or liked
 * something, which are rendered for them: a page of 500 comments costs them the handful they are
 * in, not the 500.
 */
export class ThreadFragments {
  private readonly lists = new VersionMemo<Thread, string>();
  private readonly roots = new VersionMemo<Thread, SharedRoot[]>();
  /**
   * Readers' own parts (the top-level comments where they wrote or liked something), per reader and
   * page, for one thread version: a commenter who comes back renders theirs once per version, not
   * per page view. Kept up to OWN_KEPT_CHARS of HTML in all, the least recently read dropped first.
   */
  private readonly own = new Map<string, { thread: Thread; parts: Map<number, PagePart>; chars: number }>();
  private ownChars = 0;

  constructor(private readonly renderer: Renderer) {}

  /** A page of comments as HTML: shared pages once per thread version, personal ones each time. */
  list(page: ThreadPage, ctx: CommentContext): string {
    if (!page.shared || !isPlain(ctx)) return this.render(page.comments, ctx);
    return this.lists.get(page.shared, `${sharedKey(page, ctx)}:joined`, () =>
      this.sharedRoots(page.shared!, page, ctx)
        .map((root) => root.part.text)
        .join(''),
    );
  }

  /**
   * A page of comments for one signed-in reader, as parts of the page: the shared top-level
   * comments as kept, and those the reader wrote or liked something in rendered for them (their
   * Edit and Delete, their pressed Like buttons). Staff, and pages with held comments they may
   * see, are rendered whole for them.
   */
  listFor(page: ThreadPage, ctx: CommentContext, reader: Reader): PagePart[] {
    if (!page.shared || ctx.moderator || ctx.canFeature) {
      return [{ text: pressLiked(this.render(page.comments, ctx), reader.liked) }];
    }
    const shared = this.sharedRoots(page.shared, page, { ...ctx, currentUserId: null });
    let afterShared = false;
    return shared.map((root, i) => {
      // The reader's few likes looked up in each root's set: no copy of the root's ids per request.
      const touched = root.authors.has(reader.userId) || reader.liked.some((id) => root.ids.has(id));
      const part = touched
        ? this.ownPart(page, ctx, reader, i)
        : afterShared && root.chained
          ? root.chained
          : root.part;
      afterShared = !touched;
      return part;
    });
  }

  /** The reader's own rendering of the page's i-th top-level comment, kept for this thread version. */
  private ownPart(page: ThreadPage, ctx: CommentContext, reader: Reader, i: number): PagePart {
    const liked = reader.liked.length
      ? createHash('sha1').update(reader.liked.join(',')).digest('base64url')
      : '';
    const key = `${reader.userId}:${ctx.csrfToken}:${liked}:${sharedKey(page, ctx)}`;
    let entry = this.own.get(key);
    if (entry?.thread !== page.shared) {
      if (entry) this.ownChars -= entry.chars;
      entry = { thread: page.shared!, parts: new Map(), chars: 0 };
    }
    // Most recently read last: the first in the map is the first dropped.
    this.own.delete(key);
    this.own.set(key, entry);
    let part = entry.parts.get(i);
    if (!part) {
      part = lazyPart(pressLiked(this.render([page.comments[i]], ctx), reader.liked));
      entry.parts.set(i, part);
      entry.chars += part.text.length;
      this.ownChars += part.text.length;
      for (const [oldest, dropped] of this.own) {
        if (this.ownChars <= OWN_KEPT_CHARS || oldest === key) break;
        this.own.delete(oldest);
        this.ownChars -= dropped.chars;
      }
    }
    return part;
  }

  /** One comment without its replies, as a live update shows it to every reader. */
  one(view: object, ctx: CommentContext): string {
    return this.renderer.renderPartial('comments/comment', { ...view, ctx });
  }

  private render(comments: CommentView[], ctx: CommentContext): string {
    return this.renderer.renderPartial('comments/list', { comments, ctx });
  }

  private sharedRoots(thread: Thread, page: ThreadPage, ctx: CommentContext): SharedRoot[] {
    return this.roots.get(thread, sharedKey(page, ctx), () => {
      const texts = page.comments.map((view) => this.render([view], ctx));
      return page.comments.map((view, i) => {
        const text = texts[i];
        const inside = { ids: new Set<string>(), authors: new Set<string>() };
        collect(view, inside);
        const previous = texts[i - 1];
        return {
          part: lazyPart(text),
          chained: previous === undefined ? undefined : lazyPart(text, previous),
          ...inside,
        };
      });
    });
  }
}

/** HTML kept of readers' own parts in all (with their bytes and compressed forms, made when sent: about twice that). */
const OWN_KEPT_CHARS = 16 * 1024 * 1024;

/** A kept part, compressed the first time a page sends it compressed (after `previous`, when given). */
function lazyPart(text: string, previous?: string): PagePart {
  let deflated: DeflatedPiece | undefined;
  const after = () => (previous === undefined ? undefined : Buffer.from(previous, 'utf8'));
  return { text, deflated: () => (deflated ??= deflatePiece(text, 6, after())) };
}

/** A reader with no role and no session of their own: what every such reader of a page sees alike. */
function isPlain(ctx: CommentContext): boolean {
  return !ctx.currentUserId && !ctx.moderator && !ctx.canFeature;
}

/** What makes a page's shared HTML differ: its order and page, and where and whether one may reply. */
function sharedKey(page: ThreadPage, ctx: CommentContext): string {
  return `${page.order}:${page.paging.page}:${ctx.pageBase}:${ctx.commentsOpen}:${ctx.replyQuery}`;
}

function collect(view: CommentView, into: { ids: Set<string>; authors: Set<string> }): void {
  into.ids.add(view.id);
  if (view.authorUserId) into.authors.add(view.authorUserId);
  for (const child of view.children) collect(child, into);
}
