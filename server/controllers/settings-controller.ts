import type { Request, RequestHandler, Response } from 'express';
import { ConflictError, ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { FIELDS, GROUPS, type FieldSpec } from '../services/settings/fields.js';
import { field, textOf } from './input/fields.js';

const TRAINED: Record<string, string> = {
  '1': 'The spam classifier is training on the latest decisions; reload this page in a minute for its new figures.',
  '0': 'Not enough decisions to train the spam classifier yet.',
};

/** How a field shows in the form: its value as typed (or as saved), and its error. */
function formField(spec: FieldSpec, value: unknown, error?: string) {
  const text = Array.isArray(value) ? value.join('\n') : typeof value === 'string' ? value : String(value);
  return {
    ...spec,
    value: text,
    checked: value === true || (typeof value === 'string' && value !== ''),
    isBool: spec.kind === 'bool',
    isWords: spec.kind === 'words',
    isInt: spec.kind === 'int',
    isText: spec.kind === 'text',
    error,
  };
}

/** /admin/settings: the site, community and moderation settings, changed without a restart. */
export function settingsController(services: Pick<Services, 'settings' | 'spam'>) {
  const { settings } = services;

  async function render(
    req: Request,
    res: Response,
    extra: { values?: Record<string, unknown>; errors?: Record<string, string>; summary?: string } = {},
  ) {
    const now = settings.current();
    const values = extra.values ?? now.values;
    const errors = extra.errors ?? {};
    const saved = req.query.saved === '1' && !extra.summary;
    res.render('admin/settings', {
      title: 'Settings',
      revision: now.revision,
      savedBy: now.savedBy,
      savedAt: now.savedAt,
      notice: saved
        ? 'Settings saved. Every process uses them within seconds.'
        : TRAINED[String(req.query.trained)],
      summary: extra.summary,
      hasErrors: Object.keys(errors).length > 0,
      errors,
      groups: GROUPS.map((group) => ({
        ...group,
        fields: FIELDS.filter((f) => f.group === group.id).map((f) =>
          formField(f, values[f.key], errors[f.key]),
        ),
      })),
      spam: await services.spam.status(),
    });
  }

  return {
    /** GET /admin/settings */
    show: (async (req, res) => {
      await render(req, res);
    }) satisfies RequestHandler,

    /** POST /admin/settings/spam/train */
    trainSpam: (async (req, res) => {
      // Training reads every decision: it runs in the background, and the page says when to look.
      const { total } = await services.spam.counts();
      const { needed } = await services.spam.status();
      if (total < needed.total) return res.redirect(303, '/admin/settings?trained=0#spam-status');
      services.spam
        .train()
        .catch((err: unknown) => req.log?.error({ err }, 'training the spam classifier failed'));
      res.redirect(303, '/admin/settings?trained=1#spam-status');
    }) satisfies RequestHandler,

    /** POST /admin/settings */
    save: (async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        await settings.update(req.user!, body, Number(field(body, 'revision')));
        res.redirect(303, '/admin/settings?saved=1');
      } catch (err) {
        if (err instanceof ValidationError) {
          res.status(400);
          const values = Object.fromEntries(FIELDS.map((f) => [f.key, textOf(body, f.key)]));
          await render(req, res, { values, errors: err.details ?? {}, summary: err.message });
        } else if (err instanceof ConflictError) {
          res.status(409);
          await render(req, res, { summary: err.message });
        } else throw err;
      }
    }) satisfies RequestHandler,
  };
}
