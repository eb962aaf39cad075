import type { Request, RequestHandler, Response } from 'express';
import { AppError, ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { wantsJson } from '../middleware/wants-json.js';
import { field } from './input/fields.js';
import { pathParam } from './input/params.js';

/**
 * A commenter editing their own comment: in place on the thread (public/js/comment-edit.js, JSON)
 * or on its own page (no JavaScript), with a preview and the time left, and never losing the text:
 * a refusal, or the window closing meanwhile, gives the form back with what was typed.
 */
export function ownCommentController(services: Pick<Services, 'ownComments' | 'posts'>) {
  const { ownComments } = services;

  async function renderEdit(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const comment = await ownComments.forEditing(req.user!, pathParam(req, 'id'));
    const post = await services.posts.getById(String(comment.post));
    res.render('comments/edit', {
      title: 'Edit your comment',
      comment,
      body: comment.bodySource,
      backHref: `/posts/${post.slug}/comments/${String(comment._id)}`,
      ...extra,
    });
  }

  return {
    /** GET /comments/:id/edit: the form (or, asked for JSON, the source and the time left). */
    editForm: (async (req, res) => {
      if (!wantsJson(req)) return renderEdit(req, res);
      const comment = await ownComments.forEditing(req.user!, pathParam(req, 'id'));
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        body: comment.bodySource,
        editable: comment.editable,
        until: comment.until.toISOString(),
        minutesLeft: comment.minutesLeft,
      });
    }) satisfies RequestHandler,

    /** POST /comments/:id/edit: saves (or, with preview=1, shows the text as it would be, saving nothing). */
    edit: (async (req, res) => {
      const id = pathParam(req, 'id');
      const body = field(req.body, 'body');
      if (field(req.body, 'preview')) {
        try {
          return await renderEdit(req, res, { body, preview: await ownComments.preview(body) });
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          return renderEdit(req, res.status(400), { body, errors: err.details ?? {} });
        }
      }
      try {
        const comment = await ownComments.edit(req.user!, id, body, req.ip);
        if (wantsJson(req)) return res.json({ ok: true, html: comment.bodyHtml, status: comment.status });
        const post = await services.posts.getById(String(comment.post));
        res.redirect(303, `/posts/${post.slug}/comments/${id}`);
      } catch (err) {
        const refused =
          err instanceof ValidationError || (err instanceof AppError && err.code === 'edit_window_closed');
        if (!refused || wantsJson(req)) throw err;
        // The text comes back with the reason, whatever it is: nothing typed is lost.
        const errors = err instanceof ValidationError ? (err.details ?? {}) : { body: err.message };
        await renderEdit(req, res.status(err.status), { body, errors, summary: err.message });
      }
    }) satisfies RequestHandler,

    /** POST /comments/preview {body}: the text as it would be shown (JSON), for the inline editor. */
    preview: (async (req, res) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ html: await ownComments.preview(field(req.body, 'body')) });
    }) satisfies RequestHandler,
  };
}
