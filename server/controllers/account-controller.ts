import type { Request, RequestHandler, Response } from 'express';
import { issueCsrf } from '../auth/csrf.js';
import type { Config } from '../config/index.js';
import { ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { field, safeLocalPath } from './input/fields.js';
import { parsePage } from './input/query.js';
import { pathParam } from './input/params.js';
import { threadUrl } from '../lib/thread-url.js';

/** How the role list reads a role in a sentence: "Mo is now a moderator." */
const ROLE_WORDS: Record<string, string> = {
  commenter: 'a commenter',
  moderator: 'a moderator',
  editor: 'an editor',
  admin: 'an admin',
};

/** Profiles, the admin's user list, and authors editing or deleting their own comments. */
// eslint-disable-next-line max-lines-per-function -- a factory of route handlers: each handler inside is its own function, measured on its own
export function accountController(
  services: Pick<
    Services,
    'ownComments' | 'comments' | 'posts' | 'users' | 'accounts' | 'inbox' | 'warnings'
  >,
  config: Pick<Config, 'sessionSecret'>,
) {
  const NOTICES: Record<string, string> = {
    reset: 'Your new password is set, and every other session is signed out.',
    password: 'Your password is changed, and every other session is signed out.',
    email: 'Check your new address: the change takes effect when you follow the link we sent.',
    confirmed: 'Your new email address is in use.',
    resent: 'The confirmation link is on its way to your address: follow it to get reply emails.',
    notifications: 'Your email notifications are saved.',
    renamed: 'Your name is changed, on your comments too.',
  };

  async function renderSettings(req: Request, res: Response, extra: Record<string, unknown> = {}) {
    const account = await services.accounts.profile(req.user!);
    issueCsrf(req, res, config.sessionSecret);
    const notice = NOTICES[Object.keys(NOTICES).find((key) => key in req.query) ?? ''];
    res.render('account/settings', {
      title: 'Your account',
      account,
      notice,
      errors: {},
      values: {},
      ...extra,
    });
  }

  /** Runs a settings form's change; a refused one shows the page again with its errors. */
  async function change(req: Request, res: Response, run: () => Promise<string>) {
    try {
      res.redirect(303, await run());
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(400);
      await renderSettings(req, res, {
        errors: err.details ?? {},
        summary: err.message,
        hasErrors: true,
        values: { email: field(req.body, 'email'), username: field(req.body, 'username') },
      });
    }
  }

  async function renderUsers(req: Request, res: Response, refused = ''): Promise<void> {
    const name = typeof req.query.name === 'string' ? req.query.name.slice(0, 100) : '';
    const before = typeof req.query.before === 'string' ? req.query.before : '';
    const list = await services.users.list({ name, before });
    res.render('admin/users', {
      title: 'Users',
      ...list,
      name,
      searched: Boolean(name.trim()),
      notice: typeof req.query.saved === 'string' ? req.query.saved.slice(0, 200) : '',
      refused,
      olderHref: list.older ? `/admin/users?before=${list.older}` : '',
      newestHref: before ? '/admin/users' : '',
    });
  }

  return {
    /** GET /account */
    settings: (async (req, res) => renderSettings(req, res)) satisfies RequestHandler,

    /** POST /account/password: other sessions end; this one is signed in again under the new version. */
    changePassword: (async (req, res) =>
      change(req, res, async () => {
        const user = await services.accounts.changePassword(
          req.user!,
          field(req.body, 'current'),
          field(req.body, 'password'),
        );
        await new Promise<void>((resolve, reject) =>
          req.login(user, (err) => (err ? reject(err as Error) : resolve())),
        );
        issueCsrf(req, res, config.sessionSecret);
        return '/account?password=1';
      })) satisfies RequestHandler,

    /** GET /account/replies: the replies to your comments; looking at them marks them read. */
    replies: (async (req, res) => {
      const page = parsePage(req.query.page);
      const { replies, paging } = await services.inbox.list(req.user!.id, page);
      if (page === 1) await services.inbox.markAllRead(req.user!.id);
      res.render('account/replies', {
        title: 'Replies to you',
        replies,
        paging,
        unreadOnPage: replies.filter((r) => r.unread).length,
        // The header was counted before this page marked them read.
        unreadReplies: 0,
        pageBase: '/account/replies',
      });
    }) satisfies RequestHandler,

    /** POST /account/name */
    rename: (async (req, res) =>
      change(req, res, async () => {
        await services.accounts.rename(req.user!, field(req.body, 'username'));
        return '/account?renamed=1';
      })) satisfies RequestHandler,

    /** POST /account/warnings/:id/acknowledge: back where the reader was. */
    acknowledgeWarning: (async (req, res) => {
      await services.warnings.acknowledge(req.user!, pathParam(req, 'id'));
      res.redirect(303, safeLocalPath(field(req.body, 'back'), '/'));
    }) satisfies RequestHandler,

    /** POST /account/notifications */
    setNotifications: (async (req, res) => {
      await services.accounts.setNotifications(req.user!, { replies: field(req.body, 'replies') === 'on' });
      res.redirect(303, '/account?notifications=1');
    }) satisfies RequestHandler,

    /** POST /account/email/resend: the confirmation link again, to the address on the account. */
    resendConfirmation: (async (req, res) =>
      change(req, res, async () => {
        await services.accounts.resendConfirmation(req.user!);
        return '/account?resent=1';
      })) satisfies RequestHandler,

    /** POST /account/email */
    changeEmail: (async (req, res) =>
      change(req, res, async () => {
        await services.accounts.requestEmailChange(
          req.user!,
          field(req.body, 'email'),
          field(req.body, 'password'),
        );
        return '/account?email=1';
      })) satisfies RequestHandler,

    /**
     * GET /account/email/:token: the link from the confirmation mail asks first (works signed in or
     * not); a mail scanner or a link preview that fetches it changes nothing.
     */
    confirmEmailForm: (async (req, res) => {
      const token = pathParam(req, 'token');
      const change = await services.accounts.checkEmailChange(token);
      res.setHeader('Cache-Control', 'no-store');
      res.render('account/email-confirm', { title: 'Confirm your new address', token, ...change });
    }) satisfies RequestHandler,

    /** POST /account/email/:token: the reader pressed "Confirm". */
    confirmEmail: (async (req, res) => {
      await services.accounts.confirmEmail(pathParam(req, 'token'));
      res.redirect(303, req.user ? '/account?confirmed=1' : '/login?next=/account');
    }) satisfies RequestHandler,

    /** GET /account/data.json */
    exportData: (async (req, res) => {
      const data = await services.accounts.exportData(req.user!);
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${req.user!.username.replace(/[^\w.-]+/g, '-')}-data.json"`,
      );
      res.setHeader('Cache-Control', 'no-store');
      res.type('application/json').send(JSON.stringify(data, null, 2));
    }) satisfies RequestHandler,

    /** POST /account/delete */
    deleteAccount: (async (req, res) =>
      change(req, res, async () => {
        const comments = field(req.body, 'comments') === 'remove' ? 'remove' : 'keep';
        await services.accounts.deleteAccount(req.user!, field(req.body, 'password'), comments);
        await new Promise<void>((resolve, reject) =>
          req.logout((err) => (err ? reject(err as Error) : resolve())),
        );
        return '/?deleted=1';
      })) satisfies RequestHandler,

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

    /** GET /admin/users?name=&before=&saved=: staff, then every account a page at a time, or the one a name finds. */
    users: (async (req, res) => {
      await renderUsers(req, res);
    }) satisfies RequestHandler,

    /** POST /admin/users/:id/role: back to the list, saying what changed; refused, the list with why. */
    setRole: (async (req, res) => {
      try {
        const user = await services.users.setRole(req.user!, pathParam(req, 'id'), field(req.body, 'role'));
        const saved = `${user.username} is now ${ROLE_WORDS[user.role]}.`;
        res.redirect(303, `/admin/users?saved=${encodeURIComponent(saved)}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        res.status(400);
        await renderUsers(req, res, [err.message, ...Object.values(err.details ?? {})].join(' '));
      }
    }) satisfies RequestHandler,

    /** GET /comments/:id/delete: asks first. */
    deleteForm: (async (req, res) => {
      const comment = await services.ownComments.forEditing(req.user!, pathParam(req, 'id'));
      const post = await services.posts.getById(String(comment.post));
      res.render('comments/delete', {
        title: 'Delete your comment',
        comment,
        backHref: `/posts/${post.slug}/comments/${String(comment._id)}`,
      });
    }) satisfies RequestHandler,

    /**
     * POST /comments/:id/delete: back to where it was. A comment with replies keeps its place (its
     * replies stay under it); one without leaves the page, so the reader lands at what it answered,
     * or at the thread (its own anchor would be taken for a comment on another page).
     */
    delete: (async (req, res) => {
      const comment = await services.ownComments.deleteOwn(req.user!, pathParam(req, 'id'));
      const post = await services.posts.getById(String(comment.post));
      for (const anchor of [comment._id, comment.parent]) {
        if (!anchor) continue;
        const page = await services.comments.pageOf(post, String(anchor), 'oldest');
        if (page) {
          res.redirect(303, threadUrl(post.slug, { page, order: 'oldest' }, `comment-${anchor}`));
          return;
        }
      }
      res.redirect(303, `/posts/${post.slug}#comments`);
    }) satisfies RequestHandler,
  };
}
