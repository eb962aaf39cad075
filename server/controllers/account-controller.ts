import type { RequestHandler } from 'express';
import { ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { field } from './input/fields.js';
import { parsePage } from './input/query.js';
import { pathParam } from './input/params.js';

/** Profiles, the admin's user list, and authors editing or deleting their own comments. */
export function accountController(services: Pick<Services, 'ownComments' | 'posts' | 'users'>) {
  return {
    /** GET /users/:username: the commenter's visible comments, newest first. */
    profile: (async (req, res) => {
      const user = await services.users.findByUsername(pathParam(req, 'username'));
      const page = parsePage(req.query.page);
      const { comments, paging } = await services.ownComments.byUser(user.id, page);
      res.render('users/show', {
        title: user.username,
        profile: user,
        comments,
        paging,
        pageBase: `/users/${encodeURIComponent(user.username)}`,
      });
    }) satisfies RequestHandler,

    /** GET /admin/users */
    users: (async (_req, res) => {
      res.render('admin/users', { title: 'Users', users: await services.users.list() });
    }) satisfies RequestHandler,

    /** POST /admin/users/:id/role */
    setRole: (async (req, res) => {
      await services.users.setRole(req.user!, pathParam(req, 'id'), field(req.body, 'role'));
      res.redirect(303, '/admin/users');
    }) satisfies RequestHandler,

    /** GET /comments/:id/edit */
    editForm: (async (req, res) => {
      const comment = await services.ownComments.forEditing(req.user!, pathParam(req, 'id'));
      res.render('comments/edit', { title: 'Edit your comment', comment, body: comment.bodySource });
    }) satisfies RequestHandler,

    /** POST /comments/:id/edit */
    edit: (async (req, res) => {
      const id = pathParam(req, 'id');
      try {
        const comment = await services.ownComments.edit(req.user!, id, field(req.body, 'body'), req.ip);
        const post = await services.posts.getById(String(comment.post));
        res.redirect(303, `/posts/${post.slug}/comments/${id}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const comment = await services.ownComments.forEditing(req.user!, id);
        res.status(400).render('comments/edit', {
          title: 'Edit your comment',
          comment,
          body: field(req.body, 'body'),
          errors: err.details ?? {},
        });
      }
    }) satisfies RequestHandler,

    /** GET /comments/:id/delete: asks first. */
    deleteForm: (async (req, res) => {
      const comment = await services.ownComments.forEditing(req.user!, pathParam(req, 'id'));
      res.render('comments/delete', { title: 'Delete your comment', comment });
    }) satisfies RequestHandler,

    /** POST /comments/:id/delete */
    delete: (async (req, res) => {
      const comment = await services.ownComments.deleteOwn(req.user!, pathParam(req, 'id'));
      const post = await services.posts.getById(String(comment.post));
      res.redirect(303, `/posts/${post.slug}#comment-${comment._id}`);
    }) satisfies RequestHandler,
  };
}
