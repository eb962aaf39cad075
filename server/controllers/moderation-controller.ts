import type { Request, RequestHandler, Response } from 'express';
import { wantsJson } from '../middleware/wants-json.js';
import type { Config } from '../config/index.js';
import { AppError, ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { field, fieldList, safeLocalPath } from './input/fields.js';
import {
  ACTION_DONE,
  COMMENT_ACTIONS,
  type CommentAction,
  type Queue,
} from '../services/moderation/moderation-service.js';
import { parsePage } from './input/query.js';
import { REPORT_CHOICES } from '../services/moderation/report-input.js';
import { UnknownCommenterError } from '../services/moderation/commenter-service.js';
import { pathParam } from './input/params.js';
import { canBeSanctioned } from '../lib/roles.js';

const QUEUES: Queue[] = ['pending', 'reported', 'removed'];
const QUEUE_LABELS: Record<Queue, string> = { pending: 'Held', reported: 'Reported', removed: 'Removed' };
type Counts = Record<'pending' | 'reported', number | string>;

function back(req: Request, fallback = '/moderation'): string {
  return safeLocalPath(field(req.body, 'back'), fallback);
}

/**
 * An action's answer: JSON `{ ok, message }` to the queue's script (which applies it in place),
 * else back to the page it came from with the message shown there, so every button works as a
 * plain form too.
 */
function done(req: Request, res: Response, message: string, fallback = '/moderation'): void {
  if (wantsJson(req)) {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ ok: true, message });
    return;
  }
  const target = new URL(back(req, fallback), 'http://x');
  target.searchParams.set('done', message);
  res.redirect(303, `${target.pathname}${target.search}${target.hash}`);
}

/** Moderation pages and actions (moderator role), reader reports, and the audit log (admin). */
// eslint-disable-next-line max-lines-per-function -- a factory of route handlers: each handler inside is its own function, measured on its own
export function moderationController(
  services: Pick<Services, 'moderation' | 'audit' | 'sanctions' | 'users' | 'commenters' | 'warnings'>,
  _config: Config,
) {
  const { moderation } = services;
  return {
    /** GET /moderation?queue=&post= */
    queue: (async (req, res) => {
      const queue = QUEUES.includes(req.query.queue as Queue) ? (req.query.queue as Queue) : 'pending';
      const postSlug = typeof req.query.post === 'string' && req.query.post ? req.query.post : undefined;
      const before = typeof req.query.before === 'string' ? req.query.before : undefined;
      const order = req.query.order === 'oldest' ? 'oldest' : 'newest';
      const { items, post, olderThan } = await moderation.queue(queue, postSlug, before, order);
      const filter = `${postSlug ? `&post=${encodeURIComponent(postSlug)}` : ''}`;
      const here = `/moderation?queue=${queue}${filter}${order === 'oldest' ? '&order=oldest' : ''}`;
      res.render('moderation/queue', {
        title: 'Moderation',
        scripts: ['/js/moderation-queue.js'],
        queue,
        queues: QUEUES.map((name) => ({
          name,
          label: QUEUE_LABELS[name],
          counted: name !== 'removed',
          count: name === 'removed' ? undefined : (res.locals.queueCounts as Counts | undefined)?.[name],
          current: name === queue,
          href: `/moderation?queue=${name}${postSlug ? `&post=${encodeURIComponent(postSlug)}` : ''}`,
        })),
        items,
        // The posts of this page's items, offered by the post filter.
        postChoices: [
          ...new Map(items.map((i) => [i.postSlug, { slug: i.postSlug, title: i.postTitle }])).values(),
        ],
        // The first page of the held queue, newest first, takes new held comments as they come.
        live: queue === 'pending' && order === 'newest' && !before,
        showQueue: items.length > 0 || (queue === 'pending' && order === 'newest' && !before),
        post,
        postSlug,
        order,
        newestFirstHref: `/moderation?queue=${queue}${filter}`,
        oldestFirstHref: `/moderation?queue=${queue}${filter}&order=oldest`,
        olderHref: olderThan ? `${here}&before=${olderThan}` : undefined,
        newestHref: before ? here : undefined,
        back: req.originalUrl,
        notice: typeof req.query.done === 'string' ? req.query.done : undefined,
      });
    }) satisfies RequestHandler,

    /**
     * GET /moderation/held-since?after=ID&shown=ID,ID&post=SLUG: what an open held queue adds
     * (comments held since its newest item, as list items) and drops (items another moderator
     * handled). Its script asks when the moderators' live counts change.
     */
    heldSince: (async (req, res, next) => {
      const text = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
      const { items, gone } = await moderation.heldSince(
        text('post') || undefined,
        text('after') || undefined,
        text('shown').split(',').filter(Boolean),
      );
      // The cards' forms come back to the queue (their script asks for JSON in any case).
      const back = `/moderation${text('post') ? `?post=${encodeURIComponent(text('post'))}` : ''}`;
      res.render('moderation/queue-fresh', { layout: false, items, back }, (err: unknown, html?: string) => {
        if (err) return next(err);
        res.setHeader('Cache-Control', 'no-store');
        res.json({ html, ids: items.map((item) => String(item._id)), gone });
      });
    }) satisfies RequestHandler,

    /** GET /moderation/comments/:id: the comment in its thread (the audit log links here). */
    open: (async (req, res) => {
      res.redirect(303, await moderation.placeOf(pathParam(req, 'id')));
    }) satisfies RequestHandler,

    /** POST /moderation/comments/:id/:action */
    act: (async (req, res) => {
      const action = pathParam(req, 'action') as CommentAction;
      if (!COMMENT_ACTIONS.includes(action)) throw new ValidationError('Unknown moderation action.');
      const comment = await moderation.act(
        req.user!,
        pathParam(req, 'id'),
        action,
        field(req.body, 'reason').trim(),
      );
      // Removed from the held queue, it is restored to it (still for a moderator to approve).
      const where = action === 'restore' && comment.status === 'pending' ? ' to the held queue' : '';
      done(req, res, `#${comment.number} ${ACTION_DONE[action]}${where}.`);
    }) satisfies RequestHandler,

    /** POST /comments/:id/feature and /unfeature (editors and moderators): the columnist's picks. */
    feature: (async (req, res) => {
      const featured = !req.path.endsWith('/unfeature');
      const comment = await moderation.feature(req.user!, pathParam(req, 'id'), featured);
      const message = featured
        ? `#${comment.number} is one of the picks.`
        : `#${comment.number} is no longer a pick.`;
      done(req, res, message, '/');
    }) satisfies RequestHandler,

    /** POST /moderation/comments/bulk {ids[], action, reason} */
    bulk: (async (req, res) => {
      const action = field(req.body, 'action') as CommentAction;
      if (!COMMENT_ACTIONS.includes(action))
        throw new ValidationError('Choose what to do with the selected comments.');
      const { changed, problems } = await moderation.bulk(
        req.user!,
        fieldList(req.body, 'ids'),
        action,
        field(req.body, 'reason').trim(),
      );
      const skipped = problems.length ? `; ${problems.length} skipped (${problems.join(' ')})` : '';
      done(req, res, `${changed} comment${changed === 1 ? '' : 's'} ${ACTION_DONE[action]}${skipped}`);
    }) satisfies RequestHandler,

    /** POST /moderation/posts/:id/close and /reopen */
    setPostOpen: (open: boolean) =>
      (async (req, res) => {
        const post = await moderation.setPostOpen(
          req.user!,
          pathParam(req, 'id'),
          open,
          field(req.body, 'reason').trim(),
        );
        res.redirect(303, back(req, `/posts/${post.slug}#comments`));
      }) satisfies RequestHandler,

    /** POST /moderation/comments/:id/ban-email and /block-ip */
    banEmail: (async (req, res) => {
      await moderation.banEmailOf(req.user!, pathParam(req, 'id'), field(req.body, 'reason').trim());
      done(req, res, 'The writer’s email address is banned.', '/moderation/sanctions');
    }) satisfies RequestHandler,

    blockIp: (async (req, res) => {
      await moderation.blockIpOf(req.user!, pathParam(req, 'id'), field(req.body, 'reason').trim());
      done(req, res, 'The writer’s address is blocked.', '/moderation/sanctions');
    }) satisfies RequestHandler,

    /** POST /moderation/users/:id/sanction {days (0 = ban), reason} */
    sanctionUser: (async (req, res) => {
      const raw = field(req.body, 'days');
      if (!/^\d{1,4}$/.test(raw))
        throw new ValidationError('Enter a number of days (0 bans the account).', { days: 'Not a number.' });
      await services.sanctions.sanctionUser(
        req.user!,
        pathParam(req, 'id'),
        Number(raw),
        field(req.body, 'reason').trim(),
      );
      const days = Number(raw);
      done(
        req,
        res,
        days === 0
          ? 'The account is banned.'
          : `The account is suspended for ${days} day${days === 1 ? '' : 's'}.`,
        '/moderation/sanctions',
      );
    }) satisfies RequestHandler,

    /** GET /moderation/sanctions */
    sanctions: (async (req, res) => {
      res.render('moderation/sanctions', {
        title: 'Sanctions',
        notice: typeof req.query.done === 'string' ? req.query.done : undefined,
        bans: await services.sanctions.list(),
      });
    }) satisfies RequestHandler,

    /** POST /moderation/sanctions/:id/lift */
    lift: (async (req, res) => {
      await services.sanctions.lift(req.user!, pathParam(req, 'id'));
      done(req, res, 'The sanction is lifted.', '/moderation/sanctions');
    }) satisfies RequestHandler,

    /** GET /admin/audit?action=&actor= */
    /** GET /moderation/commenter?user=|email=|ip=|comment=: a commenter's history at a glance. */
    commenter: (async (req, res) => {
      const key = await services.commenters.keyFor(req.query).catch((err: unknown) => {
        if (!(err instanceof UnknownCommenterError)) throw err;
        // Not a missing page: a writer with no trail. Say so, and where to act instead.
        res.render('moderation/commenter-unknown', {
          title: `Commenter: ${err.authorName}`,
          name: err.authorName,
          comment: String(req.query.comment),
        });
        return undefined;
      });
      if (!key) return;
      const history = await services.commenters.history(key);
      res.render('moderation/commenter', {
        title: `Commenter: ${history.label}`,
        ...history,
        removable: key.kind !== 'user',
        query: `${key.kind}=${encodeURIComponent(key.value)}`,
        removed: typeof req.query.removed === 'string' ? req.query.removed : '',
        warned: req.query.warned === '1',
        notice: typeof req.query.done === 'string' ? req.query.done : '',
        sanctionable: history.account ? canBeSanctioned(history.account) : false,
      });
    }) satisfies RequestHandler,

    /** POST /moderation/users/:id/warn */
    warn: (async (req, res) => {
      const id = pathParam(req, 'id');
      await services.warnings.warn(req.user!, id, field(req.body, 'reason'));
      if (field(req.body, 'back'))
        done(req, res, 'The writer is warned; they must read it before commenting again.');
      else res.redirect(303, `/moderation/commenter?user=${id}&warned=1`);
    }) satisfies RequestHandler,

    /** POST /moderation/commenter/remove: a spam wave from one email or address, in one action. */
    removeAll: (async (req, res) => {
      const key = await services.commenters.keyFor(req.body as Record<string, unknown>);
      const removed = await services.commenters.removeAll(req.user!, key, field(req.body, 'reason'));
      res.redirect(
        303,
        `/moderation/commenter?${key.kind}=${encodeURIComponent(key.value)}&removed=${removed}`,
      );
    }) satisfies RequestHandler,

    /** GET /admin/audit.csv: the log (with the page's filters) as a CSV download. */
    auditCsv: (async (req, res) => {
      const action = typeof req.query.action === 'string' ? req.query.action : '';
      const actor = typeof req.query.actor === 'string' ? req.query.actor : '';
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="audit-log.csv"');
      res.setHeader('Cache-Control', 'no-store');
      for await (const line of services.audit.csv({ action, actor })) {
        if (res.destroyed) return; // the reader went away: stop reading the log
        if (!res.write(line)) {
          await new Promise((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
        }
      }
      res.end();
    }) satisfies RequestHandler,

    audit: (async (req, res) => {
      const action = typeof req.query.action === 'string' ? req.query.action : '';
      const actor = typeof req.query.actor === 'string' ? req.query.actor : '';
      const { entries, paging } = await services.audit.list({
        action,
        actor,
        page: parsePage(req.query.page),
      });
      res.render('admin/audit', {
        title: 'Audit log',
        entries,
        paging,
        action,
        actor,
        actions: (await services.audit.actions()).map((name) => ({ name, selected: name === action })),
        pageBase: '/admin/audit',
        extraQuery: `${action ? `&action=${encodeURIComponent(action)}` : ''}${actor ? `&actor=${encodeURIComponent(actor)}` : ''}`,
      });
    }) satisfies RequestHandler,

    /** GET /comments/:id/report: the comment being reported, and the categories to pick from. */
    reportForm: (async (req, res) => {
      const id = pathParam(req, 'id');
      res.render('comments/report', {
        title: 'Report a comment',
        id,
        comment: await moderation.reportable(id),
        categories: REPORT_CHOICES,
        back: safeLocalPath(req.query.back, '/'),
      });
    }) satisfies RequestHandler,

    /** POST /comments/:id/report {category, reason}: once per reader per comment. */
    report: (async (req, res) => {
      const id = pathParam(req, 'id');
      const input = { category: field(req.body, 'category'), reason: field(req.body, 'reason') };
      try {
        await moderation.report({ user: req.user, ip: req.ip ?? 'unknown' }, id, input);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        // The form again with what the reader typed and the message next to its field.
        res.status(err.status).render('comments/report', {
          title: 'Report a comment',
          id,
          // The form comes back whatever became of the comment meanwhile.
          comment: await moderation.reportable(id).catch(() => undefined),
          categories: REPORT_CHOICES,
          back: back(req, '/'),
          ...input,
          errors: err.details,
          error: err.message,
        });
        return;
      }
      res.render('comments/reported', { title: 'Thank you', back: back(req, '/') });
    }) satisfies RequestHandler,
  };
}
