import type { Request, Response } from 'express';
import { deflatePiece } from './gzip-pieces.js';
import { sendPieces } from './send-pieces.js';
import type { PagePart } from './thread-fragments.js';

/** Where a page's parts go in its rendered HTML: written once by the template, replaced on the way out. */
export const PARTS_SLOT = '<!--page-parts-->';

/** Renders a view to a string (the app's engine, the response's locals), without sending it. */
export function renderToString(res: Response, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (err: unknown, html?: string) => (err ? reject(err) : resolve(html ?? '')));
  });
}

/**
 * Sends one reader's page made of a rendered frame (with PARTS_SLOT in it) and parts rendered
 * apart. With gzip, as one gzip stream in which parts kept for every reader are sent as they were
 * compressed the first time, and only this reader's own (the frame, a few comments) are
 * compressed now; without it, as text.
 */
export function sendParts(req: Request, res: Response, frame: string, parts: PagePart[]): void {
  const at = frame.indexOf(PARTS_SLOT);
  if (at < 0) throw new Error('the page has no slot for its parts');
  const before = frame.slice(0, at);
  const after = frame.slice(at + PARTS_SLOT.length);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.vary('Accept-Encoding');
  if (req.acceptsEncodings('gzip', 'identity') !== 'gzip') {
    res.send(before + parts.map((part) => part.text).join('') + after);
    return;
  }
  // Already encoded: the compression middleware leaves it as it is.
  sendPieces(req, res, [
    deflatePiece(before, 1),
    ...parts.map((part) => (part.deflated ? part.deflated() : deflatePiece(part.text, 1))),
    deflatePiece(after, 1),
  ]);
}
