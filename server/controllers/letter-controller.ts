import type { RequestHandler, Response } from 'express';
import { ValidationError } from '../errors/index.js';
import type { Services } from '../services/index.js';
import { LETTER_STATUSES } from '../services/letters/letter-service.js';
import { field } from './input/fields.js';
import { type LetterInput } from '../services/letters/letter-service.js';
import { letterInputFrom } from './input/forms.js';
import { pathParam } from './input/params.js';

/** The public Ask form, and the editors' letter inbox. */
export function letterController(services: Pick<Services, 'posts' | 'letters'>) {
  const { letters } = services;

  function renderAsk(
    res: Response,
    extra: { values?: Partial<LetterInput>; errors?: Record<string, string>; summary?: string } = {},
  ) {
    res.render('ask/form', {
      title: 'Ask a question',
      formToken: letters.formToken(),
      values: extra.values ?? {},
      errors: extra.errors ?? {},
      hasErrors: Boolean(extra.summary),
      summary: extra.summary,
      scripts: ['/js/letter-box.js'],
    });
  }

  return {
    askForm: ((_req, res) => renderAsk(res)) satisfies RequestHandler,

    /** POST /ask: spam checks, validation, then a reference number (303 to the confirmation). */
    ask: (async (req, res) => {
      const input = letterInputFrom(req.body);
      try {
        const letter = await letters.submit(input, req.ip ?? 'unknown');
        res.redirect(303, `/ask/sent/${letter.reference}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        res.status(400);
        renderAsk(res, { values: input, errors: err.details ?? {}, summary: err.message });
      }
    }) satisfies RequestHandler,

    sent: ((req, res) => {
      const reference = pathParam(req, 'reference');
      if (!/^Q-[0-9A-F]{6}$/.test(reference)) throw new ValidationError('That is not a letter reference.');
      // The script forgets the draft the letter was written in: it is sent.
      res.render('ask/sent', {
        title: 'Thank you for your letter',
        reference,
        scripts: ['/js/letter-box.js'],
      });
    }) satisfies RequestHandler,

    /** GET /editor/letters?status=&q= */
    inbox: (async (req, res) => {
      const status = typeof req.query.status === 'string' ? req.query.status : '';
      const q = typeof req.query.q === 'string' ? req.query.q : '';
      const before = typeof req.query.before === 'string' ? req.query.before : undefined;
      const page = await letters.list({ status, q, before });
      const here = `/editor/letters?${new URLSearchParams({ ...(status && { status }), ...(q && { q }) })}`;
      res.render('editor/letters', {
        title: 'Letters',
        letters: page.letters,
        olderHref: page.olderThan ? `${here}&before=${page.olderThan}` : undefined,
        newestHref: before ? here : undefined,
        q,
        statuses: LETTER_STATUSES.map((name) => ({ name, selected: name === status })),
        anyStatus: status === 'any',
      });
    }) satisfies RequestHandler,

    /** GET /editor/letters/:id */
    show: (async (req, res) => {
      const letter = await letters.get(pathParam(req, 'id'));
      const post = letter.post
        ? await services.posts.getById(String(letter.post)).catch(() => undefined)
        : undefined;
      res.render('editor/letter', {
        title: letter.subject,
        letter,
        post,
        statuses: LETTER_STATUSES.map((name) => ({ name, selected: name === letter.status })),
      });
    }) satisfies RequestHandler,

    note: (async (req, res) => {
      await letters.addNote(req.user!, pathParam(req, 'id'), field(req.body, 'note'));
      res.redirect(303, `/editor/letters/${pathParam(req, 'id')}#notes`);
    }) satisfies RequestHandler,

    status: (async (req, res) => {
      await letters.setStatus(pathParam(req, 'id'), field(req.body, 'status'));
      res.redirect(303, `/editor/letters/${pathParam(req, 'id')}`);
    }) satisfies RequestHandler,

    redact: (async (req, res) => {
      await letters.redact(pathParam(req, 'id'), field(req.body, 'redactedBody'));
      res.redirect(303, `/editor/letters/${pathParam(req, 'id')}#redact`);
    }) satisfies RequestHandler,

    /**
     * POST /editor/letters/:id/answer {redactedBody?}: the draft post, ready for the answer. The
     * button belongs to the redaction's form, so the version on screen is saved and quoted, whether
     * or not "Save redaction" was pressed first.
     */
    answer: (async (req, res) => {
      const redacted =
        typeof req.body?.redactedBody === 'string' ? field(req.body, 'redactedBody') : undefined;
      const post = await letters.answer(req.user!, pathParam(req, 'id'), redacted);
      res.redirect(303, `/editor/posts/${post._id}/edit`);
    }) satisfies RequestHandler,
  };
}
