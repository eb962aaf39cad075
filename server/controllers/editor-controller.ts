import type { Request, RequestHandler, Response } from 'express';
import { ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { type PostInput } from '../services/posts/post-service.js';
import { postInputFrom } from './input/forms.js';
import { pathParam } from './input/params.js';

function renderForm(
  res: Response,
  options: {
    input: PostInput;
    id?: string;
    errors?: Record<string, string>;
    summary?: string;
    saved?: boolean;
    slug?: string;
    preview?: { letterHtml: string; answerHtml: string };
  },
) {
  res.render('editor/form', {
    title: options.id ? 'Edit post' : 'New post',
    heading: options.id ? 'Edit post' : 'New post',
    action: options.id ? `/editor/posts/${options.id}` : '/editor/posts',
    values: options.input,
    errors: options.errors ?? {},
    hasErrors: Boolean(options.errors && Object.keys(options.errors).length),
    summary: options.summary,
    saved: options.saved,
    viewHref: options.slug ? `/posts/${options.slug}` : undefined,
    preview: options.preview,
  });
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
export function editorController(services: Pick<Services, 'posts'>) {
  async function save(req: Request, res: Response, id?: string) {
    const input = postInputFrom(req.body);
    try {
      const post = id
        ? await services.posts.update(id, input, req.user)
        : await services.posts.create(input, req.user);
      res.redirect(303, `/editor/posts/${post._id}/edit?saved=1`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(400);
      renderForm(res, { input, id, errors: err.details, summary: err.message });
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
              ? post.publishedAt.toISOString().slice(0, 16)
              : '',
        },
        saved: req.query.saved === '1',
        slug: post.slug,
        preview: { letterHtml: post.letterHtml, answerHtml: post.answerHtml },
      });
    }) satisfies RequestHandler,

    update: (async (req, res) => save(req, res, pathParam(req, 'id'))) satisfies RequestHandler,
  };
}
