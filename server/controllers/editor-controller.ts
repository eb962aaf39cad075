import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config/index.js';
import { ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { type PostInput } from '../services/posts/post-service.js';
import { toZonedInput, zoneLabel } from '../lib/zoned-time.js';
import { field } from './input/fields.js';
import { postInputFrom } from './input/forms.js';
import { pathParam } from './input/params.js';

interface FormOptions {
  input: PostInput;
  id?: string;
  errors?: Record<string, string>;
  summary?: string;
  /** What the last save did: "saved", or "published" when it put the post live. */
  saved?: string;
  slug?: string;
  preview?: { letterHtml: string; answerHtml: string };
  /** How the post's text is written: Markdown, or HTML for imported posts. */
  format?: 'markdown' | 'html';
  /** Who publishing told: the letter the post answers. */
  letter?: { reference: string; email: string; notifiedAt: Date | null } | null;
}

const EMPTY: PostInput = {
  title: '',
  slug: '',
  letter: '',
  answer: '',
  tags: '',
  authorName: '',
  status: 'draft',
  commentStatus: 'open',
  publishAt: '',
};

/** The post editor, for the editor role (routes/editor.ts guards it). */
export function editorController(
  services: Pick<Services, 'posts' | 'letters'>,
  config: Pick<Config, 'siteTimeZone'>,
) {
  function renderForm(res: Response, options: FormOptions) {
    res.render('editor/form', {
      title: options.id ? 'Edit post' : 'New post',
      heading: options.id ? 'Edit post' : 'New post',
      action: options.id ? `/editor/posts/${options.id}` : '/editor/posts',
      scripts: ['/js/editor-preview.js'],
      values: options.input,
      errors: options.errors ?? {},
      hasErrors: Boolean(options.errors && Object.keys(options.errors).length),
      summary: options.summary,
      saved: options.saved === 'saved',
      published: options.saved === 'published',
      letter: options.letter,
      viewHref: options.slug ? `/posts/${options.slug}` : undefined,
      preview: options.preview ?? { letterHtml: '', answerHtml: '' },
      zone: zoneLabel(config.siteTimeZone),
      format: options.format ?? 'markdown',
    });
  }

  async function save(req: Request, res: Response, id?: string) {
    const input = postInputFrom(req.body);
    let format: 'markdown' | 'html' = 'markdown';
    try {
      const before = id ? await services.posts.getById(id) : undefined;
      format = before?.format === 'html' ? 'html' : 'markdown';
      const post = id
        ? await services.posts.update(id, input, req.user)
        : await services.posts.create(input, req.user);
      const wentLive = post.status === 'published' && before?.status !== 'published';
      res.redirect(303, `/editor/posts/${post._id}/edit?saved=${wentLive ? 'published' : '1'}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(400);
      // Everything typed comes back, with the preview of it.
      renderForm(res, {
        input,
        id,
        errors: err.details,
        summary: err.message,
        preview: services.posts.preview(input.letter, input.answer, format),
        format,
      });
    }
  }

  return {
    index: (async (_req, res) => {
      const posts = await services.posts.listAll();
      res.render('editor/index', { title: 'Editor', posts });
    }) satisfies RequestHandler,

    newForm: ((req, res) =>
      renderForm(res, {
        input: { ...EMPTY, authorName: req.user?.username ?? '' },
      })) satisfies RequestHandler,

    create: (async (req, res) => save(req, res)) satisfies RequestHandler,

    editForm: (async (req, res) => {
      const post = await services.posts.getById(pathParam(req, 'id'));
      const saved =
        req.query.saved === 'published' ? 'published' : req.query.saved === '1' ? 'saved' : undefined;
      renderForm(res, {
        id: String(post._id),
        input: {
          title: post.title,
          slug: post.slug,
          letter: post.letterSource,
          answer: post.answerSource,
          tags: post.tags.join(', '),
          authorName: post.authorName,
          status: post.status,
          commentStatus: post.commentStatus,
          publishAt:
            post.status === 'scheduled' && post.publishedAt
              ? toZonedInput(post.publishedAt, config.siteTimeZone)
              : '',
        },
        saved,
        letter: saved === 'published' ? await services.letters.publicationNotice(post) : undefined,
        slug: post.slug,
        preview: { letterHtml: post.letterHtml, answerHtml: post.answerHtml },
        format: post.format === 'html' ? 'html' : 'markdown',
      });
    }) satisfies RequestHandler,

    update: (async (req, res) => save(req, res, pathParam(req, 'id'))) satisfies RequestHandler,

    /** POST /editor/preview {letter, answer}: the live preview's HTML, as the post page renders it. */
    preview: ((req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      const format = field(req.body, 'format') === 'html' ? 'html' : 'markdown';
      res.json(services.posts.preview(field(req.body, 'letter'), field(req.body, 'answer'), format));
    }) satisfies RequestHandler,
  };
}
