import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Post } from '../../models/post.js';
import type { ThreadOrder } from '../services/comments/thread.js';
import type { Renderer } from './engine.js';
import { acceptsGzip, deflatePiece, gzipOf, storedPiece, type DeflatedPiece } from './gzip-pieces.js';
import { cutAtSlots, type Slot } from './slots.js';
import type { PagePart } from './thread-fragments.js';

/**
 * A post page as every signed-in reader without a role sees it, but for their own parts: rendered
 * once per thread version and page (posts/show with READER_SLOTS), cut at its slots, each text
 * between compressed once. Kept in the page cache under `reader:<url>` with the post's tag, so
 * whatever drops the post's page for readers without a session drops it too.
 */
export interface PostFrame {
  post: Post;
  page: number;
  order: ThreadOrder;
  texts: DeflatedPiece[];
  slots: Slot[];
}

/** The slot where the thread's parts go (the shared top-level comments and the reader's own). */
export const PARTS = 'parts';

export function frameKey(url: string): string {
  return `reader:${url}`;
}

export function makePostFrame(
  html: string,
  post: Post,
  options: { page: number; order: ThreadOrder },
): PostFrame {
  const { texts, slots } = cutAtSlots(html);
  return {
    post,
    page: options.page,
    order: options.order,
    texts: texts.map((text) => deflatePiece(text)),
    slots,
  };
}

/** One request's own text: stored when small (no zlib set-up), compressed fast when not. */
function ownPiece(text: string): DeflatedPiece {
  return text.length > 4096 ? deflatePiece(text, 1) : storedPiece(text);
}

/**
 * The reader's page as pieces: the frame's texts, and in its slots the layout's reader parts
 * (`chrome`), the thread's parts, and each other slot's partial rendered with `locals` (or its key).
 */
export function fillPostFrame(
  renderer: Renderer,
  frame: PostFrame,
  fill: {
    locals: Record<string, unknown>;
    chrome: { top: DeflatedPiece; scripts: DeflatedPiece };
    parts: PagePart[];
  },
): DeflatedPiece[] {
  const pieces: DeflatedPiece[] = [];
  frame.slots.forEach((slot, i) => {
    pieces.push(frame.texts[i]);
    if (slot.name === 'site/top') pieces.push(fill.chrome.top);
    else if (slot.name === 'site/reader-scripts') pieces.push(fill.chrome.scripts);
    else if (slot.name === PARTS) {
      for (const part of fill.parts) pieces.push(part.deflated ? part.deflated() : ownPiece(part.text));
    } else {
      const context = slot.key ? fill.locals[slot.key] : fill.locals;
      pieces.push(ownPiece(renderer.renderPartial(slot.name, context as Record<string, unknown>)));
    }
  });
  pieces.push(frame.texts[frame.texts.length - 1]);
  return pieces;
}

/** Sends pieces as one gzip stream (or as text), with these headers and those already set on `res`. */
export function sendPieces(
  req: IncomingMessage,
  res: ServerResponse,
  pieces: DeflatedPiece[],
  headers: Record<string, string | string[] | number> = {},
): void {
  let body: Buffer;
  const all: Record<string, string | string[] | number> = {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
  };
  if (acceptsGzip(req)) {
    body = Buffer.concat(gzipOf(pieces));
    all['content-encoding'] = 'gzip';
  } else {
    body = Buffer.concat(pieces.map((piece) => piece.bytes));
  }
  all['content-length'] = body.length;
  res.writeHead(200, all);
  res.end(req.method === 'HEAD' ? undefined : body);
}
