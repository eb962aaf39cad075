import { randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { LegacyUrlModel, type LegacyUrl } from '../../../models/legacy-url.js';
import { PostModel, type Post } from '../../../models/post.js';
import type { Config } from '../../config/index.js';
import { NotFoundError, ValidationError } from '../../errors/index.js';
import type { DomainEvents } from '../events.js';
import type { AuditService } from '../moderation/audit-service.js';
import type { SessionUser } from '../accounts/user-service.js';
import { FieldErrors } from '../../lib/validation.js';
import { plainExcerpt, renderPostMarkdown, sanitizePostHtml } from '../../lib/markdown.js';
import { openPaging, paging, type Paging } from '../../lib/paging.js';
import { countListed, listedPostIds, syncListing } from './post-listing.js';
import { fromZonedInput } from '../../lib/zoned-time.js';
import { nameKey } from '../../lib/name-key.js';
import { parseTags, slugify } from '../../lib/slug.js';
import { isDuplicateKey, upsertOne } from '../../db/upsert.js';

export type PostSummary = Pick<
  Post,
  | '_id'
  | 'title'
  | 'slug'
  | 'excerpt'
  | 'tags'
  | 'authorName'
  | 'publishedAt'
  | 'commentStatus'
  | 'commentCount'
>;

export interface PostList {
  posts: PostSummary[];
  paging: Paging;
}

/** What an editor submits; strings as they come from a form or JSON. */
export interface PostInput {
  title: string;
  slug: string;
  letter: string;
  answer: string;
  tags: string;
  authorName: string;
  status: string;
  commentStatus: string;
  /** For scheduled posts: "YYYY-MM-DDTHH:MM" on the site's clocks (SITE_TIME_ZONE; a datetime-local field). */
  publishAt: string;
}

export const POST_LIMITS = { title: 300, letter: 20000, answer: 100000, authorName: 80 } as const;

const SUMMARY_FIELDS = '_id title slug excerpt tags authorName publishedAt commentStatus commentCount';

function slugTaken(): never {
  throw new ValidationError('Please correct the highlighted fields.', {
    slug: 'Another post already uses this address. Choose a different slug.',
  });
}

/** How long a post read for a new comment is reused (a busy thread's replies need not each read it). */
const FOR_COMMENTING_MS = 2000;

export class PostService {
  private readonly forCommenting = new Map<string, { post: Post; at: number }>();

  constructor(
    private readonly config: Pick<Config, 'postsPerPage' | 'siteTimeZone'>,
    private readonly events: DomainEvents,
    private readonly now: () => number = Date.now,
    /** Editors' saves go to the audit log. */
    private readonly audit?: Pick<AuditService, 'record'>,
  ) {}

  /** A post saved or published here (closed, unpublished, renamed): the next comment reads it again. */
  onPostChanged({ postId }: { postId: Types.ObjectId }): void {
    for (const [slug, entry] of this.forCommenting) {
      if (String(entry.post._id) === String(postId)) this.forCommenting.delete(slug);
    }
  }

  /**
   * The published post a comment is being written to, by slug: read once and reused for up to
   * two seconds, dropped at once when this process saves the post (another process's change is
   * seen within the two seconds). Its threadVersion may be behind: the write path reads its own.
   */
  async getForCommenting(slug: string): Promise<Post> {
    const entry = this.forCommenting.get(slug);
    if (entry && Date.now() - entry.at < FOR_COMMENTING_MS) return entry.post;
    const post = await this.getBySlug(slug);
    if (this.forCommenting.size >= 1000) this.forCommenting.clear();
    this.forCommenting.set(slug, { post, at: Date.now() });
    return post;
  }

  /** When a post goes live: now, at its scheduled time, or when it was first published. */
  private publishedAtFor(values: { status: string; publishAt: Date | null }, existing?: Post): Date | null {
    if (values.status === 'published')
      return existing?.status === 'published' && existing.publishedAt
        ? existing.publishedAt
        : new Date(this.now());
    if (values.status === 'scheduled') return values.publishAt;
    return existing?.publishedAt ?? null;
  }

  private announce(post: Post, before?: Post): void {
    this.events.emit('post.saved', {
      postId: post._id,
      slug: post.slug,
      commentStatus: post.commentStatus,
      closedNote: post.closedNote ?? '',
      status: post.status,
      authorNameKey: post.authorNameKey,
    });
    if (post.status === 'published' && before?.status !== 'published') {
      this.events.emit('post.published', {
        postId: post._id,
        slug: post.slug,
        letterId: post.letter ?? null,
      });
    }
  }

  /** Publishes scheduled posts whose time has come; returns how many. Run on a timer by the server. */
  async publishDue(): Promise<number> {
    const due = await PostModel.find({ status: 'scheduled' }).lean<Post[]>();
    let published = 0;
    for (const post of due) {
      if (!post.publishedAt || post.publishedAt.getTime() > this.now()) continue;
      // Conditional on still being scheduled, so two processes never publish it twice.
      const result = await PostModel.updateOne(
        { _id: post._id, status: 'scheduled' },
        { $set: { status: 'published' } },
      );
      if (result.modifiedCount !== 1) continue;
      await syncListing({ ...post, status: 'published' });
      published += 1;
      this.announce({ ...post, status: 'published' }, post);
    }
    return published;
  }

  /** A draft post answering a reader letter: its (redacted) text as the "A reader writes:" quote. */
  async createDraftForLetter(
    letter: { _id: Types.ObjectId; subject: string; text: string },
    authorName: string,
  ): Promise<Post> {
    const post = await this.create({
      title: letter.subject,
      slug: '',
      letter: letter.text,
      answer: '',
      tags: '',
      authorName,
      status: 'draft',
      commentStatus: 'open',
      publishAt: '',
    });
    await PostModel.updateOne({ _id: post._id }, { $set: { letter: letter._id } });
    return { ...post, letter: letter._id };
  }

  /**
   * Newest published posts, optionally with a tag, with their visible comment counts. Read a
   * page at a time through the post listings, so a page costs the same with 10 or 100,000 posts.
   */
  async listPublished(options: { page: number; tag?: string }): Promise<PostList> {
    const perPage = this.config.postsPerPage;
    const { ids, hasMore } = await listedPostIds(options.tag ?? '', (options.page - 1) * perPage, perPage);
    if (options.page > 1 && ids.length === 0) throw new NotFoundError('That page does not exist.');
    const posts = await this.summaries(ids);
    // A tag page says how many posts it has: a count of that tag's small listing rows.
    if (options.tag && posts.length > 0) {
      return { posts, paging: paging(options.page, perPage, await countListed(options.tag)) };
    }
    return { posts, paging: openPaging(options.page, perPage, hasMore) };
  }

  /** Published posts' summaries by id, in the order given. */
  private summaries(ids: Types.ObjectId[]): Promise<PostSummary[]> {
    return this.publishedInOrder<PostSummary & Pick<Post, 'status'>>(ids, `${SUMMARY_FIELDS} status`);
  }

  /**
   * The posts with these ids (from the listings) that are still published, in the order given:
   * one lookup by _id; a listing a moment behind its post never shows a draft.
   */
  private async publishedInOrder<T extends Pick<Post, '_id' | 'status'>>(
    ids: Types.ObjectId[],
    fields?: string,
  ): Promise<T[]> {
    if (ids.length === 0) return [];
    // trusted(): sanitizeFilter is on for every query; this operator is ours.
    const query = PostModel.find({ _id: mongoose.trusted({ $in: ids }) });
    const found = await (fields ? query.select(fields) : query).lean<T[]>();
    const byId = new Map(found.map((p) => [String(p._id), p]));
    return ids.map((id) => byId.get(String(id))).filter((p): p is T => p?.status === 'published');
  }

  /** A published post by slug (drafts too for editors); 404 otherwise. */
  /**
   * The slug of the published post an old address (see `legacyPathKey`) now belongs to, or null.
   * Both lookups are by _id.
   */
  async slugForLegacyPath(key: string): Promise<string | null> {
    const legacy = await LegacyUrlModel.findById(key).lean<LegacyUrl>();
    if (!legacy) return null;
    const post = await PostModel.findById(legacy.post).select('slug status').lean<Post>();
    return post?.status === 'published' ? post.slug : null;
  }

  async getBySlug(slug: string, options: { includeDrafts?: boolean } = {}): Promise<Post> {
    const post = await PostModel.findOne({ slug: String(slug) }).lean<Post>();
    if (!post || (post.status !== 'published' && !options.includeDrafts)) {
      throw new NotFoundError('There is no post at this address.');
    }
    return post;
  }

  async getById(id: string): Promise<Post> {
    const post = Types.ObjectId.isValid(id) ? await PostModel.findById(id).lean<Post>() : null;
    if (!post) throw new NotFoundError('There is no such post.');
    return post;
  }

  /** Every post, newest first, for the editor's list. */
  async listAll(): Promise<Post[]> {
    return PostModel.find({}).sort({ updatedAt: -1 }).select('-answerHtml -letterHtml').lean<Post[]>();
  }

  async create(input: PostInput, actor?: SessionUser): Promise<Post> {
    const values = this.validate(input);
    const base = input.slug.trim() ? slugify(input.slug) : slugify(values.title);
    const slug = base || 'post';
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const candidate = attempt === 1 ? slug : `${slug}-${attempt}`;
      try {
        const { publishAt, ...fields } = values;
        const post = await PostModel.create({
          ...fields,
          slug: candidate,
          publishedAt: this.publishedAtFor({ status: values.status, publishAt }),
          authorNameKey: nameKey(fields.authorName),
          threadVersion: randomBytes(8).toString('hex'),
        });
        const saved = post.toObject() as Post;
        await syncListing(saved);
        this.announce(saved);
        await this.recordEdit(actor, saved);
        return saved;
      } catch (err) {
        // An explicitly chosen slug that is taken is the editor's to fix; a derived one gets a suffix.
        if (!isDuplicateKey(err)) throw err;
        if (input.slug.trim()) slugTaken();
      }
    }
    throw new Error(`could not find a free slug for "${slug}"`);
  }

  async update(id: string, input: PostInput, actor?: SessionUser): Promise<Post> {
    const existing = await this.getById(id);
    const values = this.validate(input, existing.format === 'html' ? 'html' : 'markdown');
    const slug = input.slug.trim() ? slugify(input.slug) : existing.slug;
    const { publishAt, ...fields } = values;
    const publishedAt = this.publishedAtFor({ status: values.status, publishAt }, existing);
    try {
      const post = await PostModel.findByIdAndUpdate(
        existing._id,
        {
          $set: {
            ...fields,
            slug: slug || existing.slug,
            publishedAt,
            authorNameKey: nameKey(fields.authorName),
            // Reopened from the editor: a moderator's closing note goes with the closing.
            ...(fields.commentStatus === 'open' && { closedNote: '' }),
          },
        },
        { new: true, runValidators: true },
      ).lean<Post>();
      if (!post) throw new NotFoundError('There is no such post.');
      // Its old address keeps working (links, search engines, the letter writer's mailed link).
      if (existing.status === 'published' && post.slug !== existing.slug) {
        await upsertOne(LegacyUrlModel, { _id: `/posts/${existing.slug}` }, { $set: { post: post._id } });
      }
      await syncListing(post);
      this.announce(post, existing);
      await this.recordEdit(actor, post, existing);
      return post;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      slugTaken();
    }
  }

  /**
   * Writes an editor's save to the audit log: created or edited (with the fields that changed), and
   * the status and comment changes it made (publish, schedule, unpublish, close, reopen).
   */
  private async recordEdit(actor: SessionUser | undefined, post: Post, before?: Post): Promise<void> {
    if (!actor || !this.audit) return;
    const target = { targetType: 'post' as const, targetId: String(post._id), targetLabel: post.title };
    const fields = [
      'title',
      'slug',
      'letterSource',
      'answerSource',
      'tags',
      'authorName',
      'publishedAt',
    ] as const;
    const changed = before
      ? fields.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(post[f] ?? null))
      : [];
    await this.audit.record(actor, {
      action: before ? 'post.edit' : 'post.create',
      ...target,
      reason: changed.length
        ? `changed: ${changed.join(', ').replace('letterSource', 'letter').replace('answerSource', 'answer')}`
        : '',
    });
    if (post.status !== (before?.status ?? 'draft')) {
      const action = { published: 'post.publish', scheduled: 'post.schedule', draft: 'post.unpublish' }[
        post.status
      ];
      await this.audit.record(actor, { action, ...target, reason: before ? `was ${before.status}` : '' });
    }
    if (before && post.commentStatus !== before.commentStatus) {
      await this.audit.record(actor, {
        action: post.commentStatus === 'closed' ? 'post.close' : 'post.reopen',
        ...target,
      });
    }
  }

  /** Opens or closes comments on a post, and says so to open pages. */
  /** Opens or closes comments; a closing note is shown to readers above "Comments are closed." */
  async setCommentStatus(postId: string, commentStatus: 'open' | 'closed', note = ''): Promise<Post> {
    const closedNote = commentStatus === 'closed' ? note.trim() : '';
    if (closedNote.length > 500)
      throw new ValidationError('Keep the note to readers under 500 characters.', { note: 'Too long.' });
    const post = await this.getById(postId);
    await PostModel.updateOne({ _id: post._id }, { $set: { commentStatus, closedNote } });
    const saved = { ...post, commentStatus, closedNote };
    this.announce(saved, post);
    return saved;
  }

  /** The post's current thread version, read by _id alone. */
  async threadVersionOf(postId: Types.ObjectId): Promise<string | undefined> {
    const post = await PostModel.findById(postId).select('threadVersion').lean<Pick<Post, 'threadVersion'>>();
    return post?.threadVersion;
  }

  /**
   * Marks the thread as changed, so cached copies in every process are read
   * again, and records its visible count. Returns the new version.
   */
  async touchThread(postId: Types.ObjectId, commentCount: number): Promise<string> {
    const threadVersion = randomBytes(8).toString('hex');
    await PostModel.updateOne({ _id: postId }, { $set: { threadVersion, commentCount } });
    return threadVersion;
  }

  /**
   * Records a write to the thread only if nobody else recorded one since `expected`:
   * returns the new version, or null when the thread moved on (the caller reads it fresh).
   */
  async touchThreadIf(
    postId: Types.ObjectId,
    expected: string,
    commentCount: number,
  ): Promise<string | null> {
    const threadVersion = randomBytes(8).toString('hex');
    const result = await PostModel.updateOne(
      { _id: postId, threadVersion: expected },
      { $set: { threadVersion, commentCount } },
    );
    return result.matchedCount === 1 ? threadVersion : null;
  }

  /** Repairs a stale count (a lost concurrent update), unless the thread has moved on since. */
  async repairCommentCount(
    postId: Types.ObjectId,
    threadVersion: string,
    commentCount: number,
  ): Promise<void> {
    await PostModel.updateOne({ _id: postId, threadVersion }, { $set: { commentCount } });
  }

  /** Newest published posts for the feed, whole. */
  async recent(limit = 20): Promise<Post[]> {
    const { ids } = await listedPostIds('', 0, limit);
    return this.publishedInOrder<Post>(ids);
  }

  /**
   * The letter and answer as the post page will show them, for the editor's live preview (nothing
   * saved): Markdown, or for an imported post the sanitized HTML it keeps.
   */
  preview(
    letter: string,
    answer: string,
    format: 'markdown' | 'html' = 'markdown',
  ): { letterHtml: string; answerHtml: string } {
    const render = format === 'html' ? sanitizePostHtml : renderPostMarkdown;
    const cut = (text: string, max: number) => text.slice(0, max).trim();
    const letterText = cut(letter, POST_LIMITS.letter);
    const answerText = cut(answer, POST_LIMITS.answer);
    return {
      letterHtml: letterText ? render(letterText) : '',
      answerHtml: answerText ? render(answerText) : '',
    };
  }

  /** The post's fields from what the editor submitted, or a ValidationError naming every bad field. */
  private validate(input: PostInput, format: 'markdown' | 'html' = 'markdown') {
    const errors = new FieldErrors();
    const text = checkedText(input, errors);
    if (!['draft', 'scheduled', 'published'].includes(input.status)) {
      errors.add('status', 'Choose draft, scheduled or published.');
    }
    const publishAt = this.publishTime(input, errors);
    if (!['open', 'closed'].includes(input.commentStatus))
      errors.add('commentStatus', 'Choose open or closed.');
    errors.throwIfAny();
    return postFields(input, text, publishAt, format);
  }

  /** A scheduled post's time to publish (null for others), which must be in the future. */
  private publishTime(input: PostInput, errors: FieldErrors): Date | null {
    if (input.status !== 'scheduled') return null;
    const publishAt = fromZonedInput(input.publishAt, this.config.siteTimeZone);
    if (!publishAt || Number.isNaN(publishAt.getTime()))
      errors.add('publishAt', `Give the date and time to publish (${this.config.siteTimeZone}).`);
    else if (publishAt.getTime() <= this.now())
      errors.add('publishAt', 'Choose a time in the future, or publish now.');
    return publishAt;
  }
}

/** The post's texts, trimmed, with errors added for a missing or too long title, answer or name. */
function checkedText(input: PostInput, errors: FieldErrors): PostText {
  const title = input.title.trim();
  const letter = input.letter.trim();
  const answer = input.answer.trim();
  const authorName = input.authorName.trim() || 'The Columnist';
  if (!title) errors.add('title', 'Give the post a title.');
  else if (title.length > POST_LIMITS.title)
    errors.add('title', `Keep the title under ${POST_LIMITS.title} characters.`);
  if (input.slug.trim() && !slugify(input.slug)) errors.add('slug', 'Use letters or numbers in the slug.');
  if (letter.length > POST_LIMITS.letter) {
    errors.add('letter', `The letter is too long (${letter.length} of ${POST_LIMITS.letter} characters).`);
  }
  if (!answer && input.status !== 'draft') errors.add('answer', 'Write the answer before publishing.');
  else if (answer.length > POST_LIMITS.answer) {
    errors.add('answer', `The answer is too long (${answer.length} of ${POST_LIMITS.answer} characters).`);
  }
  if (authorName.length > POST_LIMITS.authorName) errors.add('authorName', 'That author name is too long.');
  return { title, letter, answer, authorName };
}

/** The texts of a post, trimmed. */
interface PostText {
  title: string;
  letter: string;
  answer: string;
  authorName: string;
}

/** The fields a valid post is stored with: its texts rendered (Markdown, or sanitized HTML). */
function postFields(
  input: PostInput,
  { title, letter, answer, authorName }: PostText,
  publishAt: Date | null,
  format: 'markdown' | 'html',
) {
  const render = format === 'html' ? sanitizePostHtml : renderPostMarkdown;
  const letterHtml = letter ? render(letter) : '';
  const answerHtml = answer ? render(answer) : '';
  return {
    title,
    letterSource: letter,
    letterHtml,
    answerSource: answer,
    answerHtml,
    excerpt: plainExcerpt(letterHtml || answerHtml),
    tags: parseTags(input.tags),
    authorName,
    status: input.status as 'draft' | 'scheduled' | 'published',
    commentStatus: input.commentStatus as 'open' | 'closed',
    publishAt,
  };
}
