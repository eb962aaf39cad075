import mongoose, { Types } from 'mongoose';
import type { Comment } from '../../../models/comment.js';
import { commentById, findComment, findComments, insertComments } from './comment-store.js';
import { isDuplicateKey } from '../../db/upsert.js';

export type { ShownComment, ThreadOrder };
import type { Post } from '../../../models/post.js';
import type { Config } from '../../config/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors/index.js';
import type { DomainEvents } from '../events.js';
import { FieldErrors, isEmail, isObjectIdString } from '../../lib/validation.js';
import { checkBody, COMMENT_LIMITS, renderBody } from './comment-body.js';
import { findMentions, withMentionLinks } from '../accounts/mentions.js';
import { paging, type Paging } from '../../lib/paging.js';
import type { CommentGate, Writer } from './comment-gate.js';
import type { PostService } from '../posts/post-service.js';
import { hashIp } from '../../lib/ip-hash.js';
import type { SessionUser } from '../accounts/user-service.js';
import type { ReservedNames } from '../accounts/reserved-names.js';
import type { CommentView } from './comment-view.js';
import { Thread, type ShownComment, type ThreadOrder, type Viewer } from './thread.js';
import { toCommentView } from './comment-view.js';
import { ThreadCache } from './thread-cache.js';
import { VersionMemo } from '../../lib/version-memo.js';
import { KeyedQueue } from '../../lib/keyed-queue.js';
import { BatchQueue } from '../../lib/batch-queue.js';
import { OnceCache } from '../../lib/once-cache.js';
import { nameKey } from '../../lib/name-key.js';
import { sign } from '../../lib/signing.js';
import { LetterModel } from '../../../models/letter.js';
import { lineageOf, type LineageParent } from './lineage.js';
import { badgeFor, isStaff } from '../../lib/roles.js';

export { COMMENT_LIMITS } from './comment-body.js';

export interface ThreadPage {
  /** The page's top-level comments, each with all its replies. */
  comments: CommentView[];
  /** The columnist's picks, newest pick first, shown above the thread on every page. */
  featured: CommentView[];
  /** Visible comments on the whole post. */
  total: number;
  paging: Paging;
  order: ThreadOrder;
  /**
   * The thread version this page was cut from, when the page is the same for every reader without
   * held comments of their own: what is derived from it (rendered HTML) may be kept for the next
   * reader of the same version. Null for a personal page.
   */
  shared: Thread | null;
}

/** A new comment as written, all but its number. */
type NewCommentDoc = Omit<
  Comment,
  'number' | 'createdAt' | 'updatedAt' | 'sourceKey' | 'authorUrl' | 'parentAuthor'
> & {
  parentAuthor?: Comment['parentAuthor'];
};
type NewCommentItem = { post: Post; doc: NewCommentDoc };

export interface NewComment {
  parentId: string;
  authorName: string;
  authorEmail: string;
  body: string;
  /** A guest asks for an email when someone replies (needs an email address, confirmed once). */
  notifyReplies?: boolean;
}

const THREAD_FIELDS =
  '_id post parent ancestors root depth number authorName authorKind authorUser notifyReplies bodyHtml status createdAt editedAt locked heldReason featuredAt likeCount';

export class CommentService {
  private readonly cache: ThreadCache<Thread>;
  /** Thread reads in progress, by post and version. */
  private readonly reading = new Map<string, Promise<Thread>>();
  /** The views of each page of each thread version, kept while that version is. */
  private readonly views = new VersionMemo<Thread, CommentView[]>();
  /** Writes to one thread, one at a time within this process. */
  private readonly writes = new KeyedQueue();
  /** Recent form submissions, so a retried form does not post twice. */
  private readonly submissions = new OnceCache<Comment & { threadVersion: string }>(10 * 60000, 2000);
  /** New comments, written in batches per thread. */
  private readonly inserts = new BatchQueue(this.writes, (key, items: NewCommentItem[]) =>
    this.writeBatch(key, items),
  );

  constructor(
    private readonly config: Pick<
      Config,
      | 'commentsPerPage'
      | 'commentsMaxDepth'
      | 'threadCacheSize'
      | 'allowGuestComments'
      | 'sessionSecret'
      | 'accountEmailConfirmation'
    >,
    private readonly events: DomainEvents,
    private readonly posts: PostService,
    private readonly names: Pick<ReservedNames, 'has'>,
    private readonly gate: CommentGate,
  ) {
    this.cache = new ThreadCache(config.threadCacheSize, 30000);
  }

  /** Settings changed: threads in memory were nested to the depth in force when they were read. */
  onSettingsChanged({ keys }: { keys: string[] }): void {
    // Threads read before are rendered (and kept) nested to the old depth, or with times on the old clocks.
    if (keys.includes('commentsMaxDepth') || keys.includes('siteTimeZone')) this.cache.clear();
  }

  /**
   * Every comment of a post, in posting order, in one query, cached under the
   * post's threadVersion. A cached read also repairs the post's count if a
   * concurrent write left it stale.
   */
  async loadThread(
    post: Pick<Post, '_id' | 'threadVersion' | 'commentCount'>,
    options: { fresh?: boolean } = {},
  ): Promise<Thread> {
    if (options.fresh) return this.readThread(post, options);
    const found = this.cache.lookup(String(post._id), post.threadVersion);
    if (found && !found.stale) return found.value;
    // Readers who miss the same version at once share one read (a cold thread under load); a thread
    // past its age is served as it is while it is read again in the background.
    const flightKey = `${String(post._id)}:${post.threadVersion}`;
    let flight = this.reading.get(flightKey);
    if (!flight) {
      flight = this.readThread(post, options).finally(() => this.reading.delete(flightKey));
      this.reading.set(flightKey, flight);
      if (found) flight.catch(() => undefined);
    }
    return found ? found.value : flight;
  }

  private async readThread(
    post: Pick<Post, '_id' | 'threadVersion' | 'commentCount'>,
    options: { fresh?: boolean },
  ): Promise<Thread> {
    const key = String(post._id);
    const comments = await findComments({ post: post._id }).select(THREAD_FIELDS).lean<ShownComment[]>();
    comments.sort((a, b) => a.number - b.number);
    const thread = new Thread(comments, this.config.commentsMaxDepth);
    if (!options.fresh) {
      this.cache.set(key, post.threadVersion, thread);
      if (thread.visible.length !== post.commentCount) {
        await this.posts.repairCommentCount(post._id, post.threadVersion, thread.visible.length);
      }
    }
    return thread;
  }

  /** One page of the thread: top-level comments `commentsPerPage` at a time, each with all its replies. */
  async threadPage(
    post: Post,
    options: { page: number; order: ThreadOrder; viewer?: Viewer },
  ): Promise<ThreadPage> {
    const thread = await this.loadThread(post);
    const personal = options.viewer && thread.heldFor(options.viewer).length > 0;
    const roots = personal ? thread.treeFor(options.order, options.viewer!) : thread.tree(options.order);
    const perPage = this.config.commentsPerPage;
    const pageInfo = paging(options.page, perPage, roots.length);
    if (options.page > (pageInfo.totalPages ?? 1))
      throw new NotFoundError('That page of comments does not exist.');
    const start = (options.page - 1) * perPage;
    const slice = () => roots.slice(start, start + perPage).map((node) => toCommentView(node, post.slug));
    return {
      comments: personal ? slice() : this.views.get(thread, `${options.order}:${start}:${post.slug}`, slice),
      featured: this.views.get(thread, `featured:${post.slug}`, () =>
        thread.featured.map((c) =>
          toCommentView(
            { ...c, displayDepth: 0, replyingTo: null, orphaned: false, children: [] },
            post.slug,
          ),
        ),
      ),
      total: thread.visible.length,
      paging: pageInfo,
      order: options.order,
      shared: personal ? null : thread,
    };
  }

  /** Which page of the thread shows a comment, so a permalink lands on it. */
  async locate(
    post: Post,
    commentId: string,
    order: ThreadOrder,
    viewer: Viewer = {},
  ): Promise<{ page: number; comment: ShownComment }> {
    const thread = await this.loadThread(post);
    const comment = thread.byId(commentId);
    const shown = comment?.status === 'visible' || (comment && thread.heldFor(viewer).includes(comment));
    if (!comment || !shown) throw new NotFoundError('That comment does not exist, or is no longer shown.');
    let index: number;
    if (thread.heldFor(viewer).length === 0) {
      // The public tree: where the comment is shown is known without building the tree.
      index = thread.rootPosition(commentId, order) ?? 0;
    } else {
      const top = new Set([...comment.ancestors.map(String), commentId]);
      index = thread.treeFor(order, viewer).findIndex((root) => top.has(String(root._id)));
    }
    return { page: Math.floor(Math.max(index, 0) / this.config.commentsPerPage) + 1, comment };
  }

  /**
   * The page of the public thread where this comment has its place, a tombstone with replies under
   * it included, or null when it has none (a deleted or removed comment nothing answered).
   */
  async pageOf(post: Post, commentId: string, order: ThreadOrder): Promise<number | null> {
    const index = (await this.loadThread(post)).rootPosition(commentId, order);
    return index === undefined ? null : Math.floor(index / this.config.commentsPerPage) + 1;
  }

  /**
   * The visible comments posted after `since`, in posting order, each with the page of the thread
   * that shows it: for "new since your last visit", across pages and collapsed subthreads alike.
   */
  async newSince(
    post: Post,
    since: Date,
    order: ThreadOrder,
    limit = 500,
  ): Promise<{ count: number; comments: { id: string; number: number; page: number }[] }> {
    const thread = await this.loadThread(post);
    const fresh = thread.visible.filter((c) => c.createdAt.getTime() > since.getTime());
    const per = this.config.commentsPerPage;
    return {
      count: fresh.length,
      comments: fresh.slice(0, limit).map((c) => ({
        id: String(c._id),
        number: c.number,
        page: Math.floor((thread.rootPosition(String(c._id), order) ?? 0) / per) + 1,
      })),
    };
  }

  /** Newest visible comments of a post, for its feed. */
  async recent(post: Post, limit = 50): Promise<ShownComment[]> {
    return (await this.loadThread(post)).visible.slice(-limit).reverse();
  }

  /**
   * Posts a comment or a reply. Checks the post is published and open and the parent belongs to
   * it, renders the Markdown to safe HTML, claims the next number, writes once, then emits
   * `comment.created` (a shown one) or `moderation.changed` (a held one).
   *
   * Returns the comment and the thread version it produced, which reads can use without going
   * back to the database. `submission` (the form's one-time id) makes a retry harmless: the same
   * form sent again with the same text within ten minutes gets the comment the first one made.
   */
  async create(
    post: Post,
    input: NewComment,
    author: { user?: SessionUser; ip?: string; letterWriter?: string; submission?: string } = {},
  ): Promise<Comment & { threadVersion: string }> {
    const ipHash = hashIp(author.ip ?? 'unknown', this.config.sessionSecret);
    if (!author.submission) return this.createOnce(post, input, author, ipHash);
    const key = sign(
      this.config.sessionSecret,
      ['submission', post._id, author.submission, ipHash, author.user?.id ?? '', author.letterWriter ?? '']
        .concat([input.authorName, input.authorEmail, input.parentId, input.body])
        .join('\0'),
    );
    return this.submissions.once(key, () => this.createOnce(post, input, author, ipHash));
  }

  /** One comment, in named steps: who writes, what they wrote, whether they may, then the write. */
  private async createOnce(
    post: Post,
    input: NewComment,
    author: { user?: SessionUser; letterWriter?: string },
    ipHash: string,
  ): Promise<Comment & { threadVersion: string }> {
    const { user, letterWriter, guest } = this.whoWrites(post, author);
    const { authorName, authorEmail, body } = checkCommentInput(input, guest);
    const writer: Writer = { user, account: author.user, email: guest ? authorEmail : '', ipHash };
    const giveBack = await this.admit(writer, guest ? authorName : null, post);
    try {
      const mentioned = await findMentions(body);
      const bodyHtml = withMentionLinks(renderBody(body), mentioned);
      const screening = await this.gate.screen(writer, body, bodyHtml, Boolean(letterWriter));
      if (screening.refuse) throw new ValidationError(screening.refuse, { body: screening.refuse });
      const _id = new Types.ObjectId();
      const parent = input.parentId ? await this.replyTarget(post, input.parentId) : null;
      const { comment, post: current } = await this.insertNumbered(post, {
        _id,
        post: post._id,
        ...lineageOf(_id, parent),
        // Identity comes from the session, never from the form.
        authorName: letterWriter ?? (user ? user.username : authorName),
        authorEmail: writer.email,
        authorKind: letterWriter ? 'letter-writer' : user ? badgeFor(user.role) : 'guest',
        authorUser: user ? new Types.ObjectId(user.id) : null,
        // In the inbox of the account replied to (a reply to oneself is in no inbox).
        parentAuthor:
          parent?.authorUser && String(parent.authorUser) !== (user?.id ?? '') ? parent.authorUser : null,
        bodySource: body,
        bodyHtml,
        mentions: [...mentioned.values()].map((m) => m.id),
        notifyReplies: guest && Boolean(input.notifyReplies),
        notifyConfirmed: false,
        status: screening.hold ? 'pending' : 'visible',
        heldReason: screening.hold ?? '',
        removedReason: '',
        locked: false,
        reportCount: 0,
        likeCount: 0,
        ipHash: writer.ipHash,
        editedAt: null,
      });
      // comment.created was emitted as soon as the comment was stored (writeBatch).
      return { ...comment, threadVersion: current.threadVersion };
    } catch (err) {
      await giveBack();
      throw err;
    }
  }

  /**
   * Who writes: the letter-writer's private link speaks for them on this post, signed in or not;
   * else the account, else a guest. Refuses a post that is not published or open, guests where
   * they may not comment, and unconfirmed accounts where confirmation is required.
   */
  private whoWrites(post: Post, author: { user?: SessionUser; letterWriter?: string }) {
    if (post.status !== 'published') throw new NotFoundError('There is no post at this address.');
    this.gate.assertOpen(post);
    const { letterWriter } = author;
    const user = letterWriter ? undefined : author.user;
    if (!user && !letterWriter && !this.config.allowGuestComments) {
      throw new ForbiddenError('Sign in to comment on this site.', 'guests_not_allowed');
    }
    const mustConfirm = this.config.accountEmailConfirmation === 'required' && !isStaff(user);
    if (user && mustConfirm && !user.emailConfirmed) {
      throw new ForbiddenError(
        'Confirm your email address before commenting: follow the link we sent, or ask for a new one on your account page.',
        'email_not_confirmed',
      );
    }
    return { user, letterWriter, guest: !user && !letterWriter };
  }

  /**
   * Sanctions and pace, and whether a guest's name is someone else's, looked up at once. Resolves
   * with the function that gives the pace slot back (when the comment is not written after all).
   */
  private async admit(writer: Writer, guestName: string | null, post: Post): Promise<() => Promise<void>> {
    const [admitted, nameCheck] = await Promise.allSettled([
      this.gate.admit(writer),
      guestName !== null ? this.protectedName(guestName, post) : Promise.resolve(null),
    ]);
    if (admitted.status === 'rejected') throw admitted.reason;
    const giveBack = admitted.value;
    try {
      if (nameCheck.status === 'rejected') throw nameCheck.reason;
      if (nameCheck.value)
        throw new ValidationError('Please choose another name.', { name: nameCheck.value });
    } catch (err) {
      await giveBack();
      throw err;
    }
    return giveBack;
  }

  /**
   * Why a guest may not use a name, or null: no passing for someone with a marked name, an
   * account or a columnist (by folded name), this post's letter writer, or anyone "letter writer".
   */
  private async protectedName(name: string, post: Pick<Post, 'letter'>): Promise<string | null> {
    const key = nameKey(name);
    const letterWriter =
      'Only the letter writer, through their private link, comments as the letter writer. Please choose another name.';
    if (key.includes('letterwriter')) return letterWriter;
    if (await this.names.has(key)) {
      return 'That name belongs to a registered commenter or to staff. Sign in, or choose another name.';
    }
    if (!post.letter) return null;
    const letter = await LetterModel.findById(post.letter).select('pseudonym').lean();
    return letter?.pseudonym && nameKey(letter.pseudonym) === key ? letterWriter : null;
  }

  /**
   * Where a reply goes: under a visible comment of this post, outside any
   * locked subthread. Reads the cached thread first, the database second.
   */
  private async replyTarget(
    post: Post,
    parentId: string,
  ): Promise<LineageParent & Pick<Comment, 'authorUser'>> {
    const thread = await this.loadThread(post);
    let parent:
      | Pick<Comment, '_id' | 'post' | 'ancestors' | 'root' | 'depth' | 'status' | 'locked' | 'authorUser'>
      | null
      | undefined = thread.byId(parentId);
    // By _id alone, then the post in code: FerretDB can only use an index for a bare _id filter.
    parent ??= await commentById(parentId)
      .select('_id post ancestors root depth status locked authorUser')
      .lean();
    if (!parent || String(parent.post) !== String(post._id) || parent.status !== 'visible') {
      throw new ValidationError('The comment you are replying to is not on this post any more.', {
        parent: 'That comment is not available to reply to.',
      });
    }
    const chain = [...parent.ancestors.map(String), String(parent._id)];
    if (parent.locked || chain.some((id) => thread.byId(id)?.locked)) {
      throw new ForbiddenError(
        'This part of the discussion has been locked by a moderator.',
        'thread_locked',
      );
    }
    return parent;
  }

  /**
   * The id of a comment imported from another system, by its number there (WordPress's comment_ID):
   * its source key is made of the post's source id and that number.
   */
  async findImported(
    post: Pick<Post, '_id' | 'sourceKey'>,
    system: 'wordpress',
    number: string,
  ): Promise<string | null> {
    const postSource = new RegExp(`^${system}:post:(\\d+)$`).exec(post.sourceKey ?? '')?.[1];
    if (!postSource) return null;
    const comment = await findComment({
      post: post._id,
      sourceKey: `${system}:comment:${postSource}:${number}`,
    })
      .select('_id')
      .lean();
    return comment ? String(comment._id) : null;
  }

  /** `afterWrite` for a post known by its id (the comment store's refresh); null if the post is gone. */
  async refreshThread(postId: Types.ObjectId): Promise<Post | null> {
    const post = await this.posts.getById(String(postId)).catch((err: unknown) => {
      if (err instanceof NotFoundError) return null;
      throw err;
    });
    return post && this.afterWrite(post);
  }

  /**
   * After any write to a thread (here or by moderation): read it fresh, record the new version and
   * count on the post, and keep the fresh copy as this process's cache. Queued with this process's
   * other writes to the same thread, so a fresh read never overtakes a comment being numbered.
   */
  async afterWrite<P extends Pick<Post, '_id' | 'threadVersion' | 'commentCount'>>(post: P): Promise<P> {
    return this.writes.run(String(post._id), () => this.reread(post));
  }

  /** afterWrite's work, inside the thread's write queue. */
  private async reread<P extends Pick<Post, '_id' | 'threadVersion' | 'commentCount'>>(post: P): Promise<P> {
    const key = String(post._id);
    this.cache.delete(key);
    const thread = await this.loadThread(post, { fresh: true });
    const version = await this.posts.touchThread(post._id, thread.visible.length);
    this.cache.set(key, version, thread);
    this.events.emit('thread.updated', { postId: post._id });
    return { ...post, threadVersion: version, commentCount: thread.visible.length };
  }

  /**
   * After a change to one comment that leaves the thread's shape alone (its likes): the thread's
   * new version is the one this process holds with that change made in memory (no read), when the
   * post's version shows no other writer in between; else the thread is read fresh, as afterWrite.
   */
  async afterChange(postId: Types.ObjectId, commentId: string, set: Partial<ShownComment>): Promise<void> {
    const key = String(postId);
    await this.writes.run(key, async () => {
      const held = this.cache.peek(key);
      if (held) {
        const next = held.value.withChange(commentId, set);
        const version = await this.posts.touchThreadIf(postId, held.version, next.visible.length);
        if (version) {
          this.cache.set(key, version, next);
          this.events.emit('thread.updated', { postId });
          return;
        }
      }
      const post = await this.posts.getById(key).catch((err: unknown) => {
        if (err instanceof NotFoundError) return null;
        throw err;
      });
      if (post) await this.reread(post);
    });
  }

  /**
   * Numbers a new comment and writes it, with the others that arrived for the same thread while
   * the previous batch was being written (one insert and one version update for all of them).
   */
  private insertNumbered<P extends Post>(
    post: P,
    doc: NewCommentDoc,
  ): Promise<{ comment: Comment; post: P }> {
    return this.inserts.add(String(post._id), { post, doc }).then(({ comment, version, commentCount }) => ({
      comment,
      post: { ...post, threadVersion: version, commentCount },
    }));
  }

  /**
   * Writes a batch of new comments to one thread. Writes to a thread are queued within this
   * process, so they never compete for a number: the next numbers come from the thread this
   * process already holds (no read). Another process may have taken one: the unique (post,
   * number) index refuses it, the comments that went in before it are kept, and the rest are
   * numbered again from the thread read fresh. The new comments are then added to the cached
   * thread instead of reading it again, if the post's version shows no other writer in between.
   */
  private async writeBatch(
    key: string,
    items: NewCommentItem[],
  ): Promise<{ comment: Comment; version: string; commentCount: number }[]> {
    const post = items[0].post;
    let base = this.cache.peek(key) ?? (await this.freshBase(post));
    const written = new Map<string, Comment>();
    let clashed = false;
    for (let attempt = 0; written.size < items.length; attempt += 1) {
      const pending = items.filter((item) => !written.has(String(item.doc._id)));
      const docs = pending.map((item, i) => ({ ...item.doc, number: base.value.lastNumber + 1 + i }));
      try {
        for (const created of await insertComments(docs)) written.set(String(created._id), created);
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 20) throw err;
        clashed = true;
        // trusted(): sanitizeFilter is on for every query; this operator is ours.
        const stored = await findComments({
          _id: mongoose.trusted({ $in: docs.map((d) => d._id) }),
        }).lean<Comment[]>();
        for (const comment of stored) written.set(String(comment._id), comment);
        base = await this.freshBase(post);
      }
    }
    const comments = items.map((item) => written.get(String(item.doc._id))!);
    // A held comment joins the moderators' queue: their counts change.
    if (comments.some((c) => c.status === 'pending')) this.events.emit('moderation.changed', {});
    let current = clashed ? undefined : base.value.with(...comments.map(shownFrom));
    let announced = false;
    const announce = (thread?: Thread) => {
      announced = true;
      for (const comment of comments) {
        if (comment.status !== 'visible') continue;
        this.events.emit('comment.created', { postId: post._id, commentId: comment._id, post, thread });
      }
    };
    // Stored: readers hear of it now, before the post's version is recorded (which can wait).
    if (current) announce(current);
    try {
      let version = current
        ? await this.posts.touchThreadIf(post._id, base.version, current.visible.length)
        : null;
      if (!version || !current) {
        current = await this.loadThread(post, { fresh: true });
        if (!announced) announce(current);
        version = await this.posts.touchThread(post._id, current.visible.length);
      }
      this.cache.set(key, version, current);
      // What was built from the version before (a page read in between) is out of date now.
      this.events.emit('thread.updated', { postId: post._id });
      const commentCount = current.visible.length;
      return comments.map((comment) => ({ comment, version: version!, commentCount }));
    } catch {
      // The comments are written; only recording the new version failed (the database went away
      // for a moment). They are posted: say so, and let the next read of the thread find them.
      this.cache.delete(key);
      if (!announced) announce();
      this.events.emit('thread.updated', { postId: post._id });
      return comments.map((comment) => ({ comment, version: '', commentCount: post.commentCount }));
    }
  }

  /** The thread as stored, with the version it was read under (version first, so a write between the two reads is noticed). */
  private async freshBase(post: Pick<Post, '_id' | 'threadVersion' | 'commentCount'>) {
    const version = (await this.posts.threadVersionOf(post._id)) ?? post.threadVersion;
    const value = await this.loadThread({ ...post, threadVersion: version }, { fresh: true });
    return { version, value };
  }
}

/** The fields of a comment that threads keep (never the email, address or source). */
function shownFrom(comment: Comment): ShownComment {
  const shown: Record<string, unknown> = {};
  for (const field of THREAD_FIELDS.split(' ')) shown[field] = (comment as Record<string, unknown>)[field];
  return shown as ShownComment;
}

/** A comment's fields as typed, checked: every problem at once, tied to its field. */
function checkCommentInput(
  input: NewComment,
  guest: boolean,
): { authorName: string; authorEmail: string; body: string } {
  const errors = new FieldErrors();
  const authorName = input.authorName.trim().replace(/\s+/g, ' ');
  const authorEmail = input.authorEmail.trim().toLowerCase();
  if (guest) {
    if (!authorName) errors.add('name', 'Enter a name to show with your comment (a pseudonym is fine).');
    else if (authorName.length > COMMENT_LIMITS.authorName) {
      errors.add('name', `Keep your name under ${COMMENT_LIMITS.authorName} characters.`);
    }
    if (authorEmail && !isEmail(authorEmail)) {
      errors.add('email', 'That does not look like an email address.');
    } else if (input.notifyReplies && !authorEmail) {
      errors.add('email', 'Give your email address to get replies by email.');
    }
  }
  const body = checkBody(input.body, errors);
  if (input.parentId && !isObjectIdString(input.parentId)) {
    errors.add('parent', 'That reply target is not valid.');
  }
  errors.throwIfAny();
  return { authorName, authorEmail, body };
}
