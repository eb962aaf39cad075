import type { Request, RequestHandler, Response } from 'express';
import { checkEditorSecret, clearEditorCookie, setEditorCookie } from '../auth/editor-gate.js';
import type { Config } from '../config/index.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { field } from '../services/input.js';
import { postInputFrom, type PostInput } from '../services/post-service.js';

function safeNext(raw: unknown): string {
  return typeof raw === 'string' && /^\/editor(\/[\w\-/?=&.]*)?$/.test(raw) ? raw : '/editor';
}

function renderForm(
  res: Response,
  options: {
    input: PostInput;
    id?: string;
    errors?: Record<string, string>;
    summary?: string;
    saved?: boolean;
    slug?: string;
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
  });
}

const EMPTY: PostInput = {
  title: '',
  slug: '',
  letter: '',
  answer: '',
  tags: '',
  authorName: 'The Columnist',
  status: 'draft',
  commentStatus: 'open',
};

/** The post editor, unlocked by EDITOR_SECRET until accounts and roles exist. */
export function editorController(services: Services, config: Config) {
  const secure = config.siteUrl.startsWith('https:');

  async function save(req: Request, res: Response, id?: string) {
    const input = postInputFrom(req.body);
    try {
      const post = id ? await services.posts.update(id, input) : await services.posts.create(input);
      res.redirect(303, `/editor/posts/${post._id}/edit?saved=1`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(400);
      renderForm(res, { input, id, errors: err.details, summary: err.message });
    }
  }

  return {
    loginForm: ((req, res) => {
      if (!config.editorSecret) throw new NotFoundError();
      res.render('editor/login', { title: 'Editor sign in', next: safeNext(req.query.next) });
    }) satisfies RequestHandler,

    login: ((req, res) => {
      if (!config.editorSecret) throw new NotFoundError();
      const next = safeNext(field(req.body, 'next'));
      if (!checkEditorSecret(field(req.body, 'secret'), config.editorSecret)) {
        res.status(401).render('editor/login', {
          title: 'Editor sign in',
          next,
          error: 'That secret is not right.',
        });
        return;
      }
      setEditorCookie(res, config.editorSecret, secure);
      res.redirect(303, next);
    }) satisfies RequestHandler,

    logout: ((_req, res) => {
      clearEditorCookie(res);
      res.redirect(303, '/');
    }) satisfies RequestHandler,

    index: (async (_req, res) => {
      const posts = await services.posts.listAll();
      res.render('editor/index', { title: 'Editor', posts });
    }) satisfies RequestHandler,

    newForm: ((_req, res) => renderForm(res, { input: EMPTY })) satisfies RequestHandler,

    create: (async (req, res) => save(req, res)) satisfies RequestHandler,

    editForm: (async (req, res) => {
      const post = await services.posts.getById(String(req.params.id));
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
        },
        saved: req.query.saved === '1',
        slug: post.slug,
      });
    }) satisfies RequestHandler,

    update: (async (req, res) => save(req, res, String(req.params.id))) satisfies RequestHandler,
  };
}
