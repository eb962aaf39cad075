import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptsGzip, gzipOf, type DeflatedPiece } from './gzip-pieces.js';

/*
 * Writing pages stitched from pieces (gzip-pieces.ts): a signed-in reader's page made from a kept
 * frame or page, a staff or held-comment page made of parts, or a reader's whole page kept gzipped.
 */

/** `headers` with the type and encoding of a stitched page, made once per headers object kept. */
type Headers = Record<string, string | string[] | number>;
const typed = new WeakMap<Headers, { gzip?: Headers; plain?: Headers }>();
const NONE: Headers = {};
function withType(headers: Headers, gzip: boolean): Headers {
  let made = typed.get(headers);
  if (!made) typed.set(headers, (made = {}));
  const encoding = gzip ? 'gzip' : 'plain';
  return (made[encoding] ??= {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    ...(gzip ? { 'content-encoding': 'gzip' } : NONE),
  });
}

/**
 * Sends pieces as one gzip stream (or as text), with these headers and those already set on `res`.
 * The buffers are written one by one in a single cork (one writev): joining them first into one
 * buffer cost more than the rest of the page (allocating and copying 60 KB per response).
 */
export function sendPieces(
  req: IncomingMessage,
  res: ServerResponse,
  pieces: DeflatedPiece[],
  headers: Headers = NONE,
): void {
  const gzip = acceptsGzip(req);
  const buffers = gzip ? gzipOf(pieces) : pieces.map((piece) => piece.bytes);
  let length = 0;
  for (const buffer of buffers) length += buffer.length;
  res.setHeader('content-length', length);
  // The status set before (a form sent back with its errors: 400), or 200.
  res.writeHead(res.statusCode, withType(headers, gzip));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.cork();
  for (const buffer of buffers) if (buffer.length > 0) res.write(buffer);
  res.end();
  res.uncork();
}

/** Sends one gzip body made before (a reader's whole page, kept), with these headers. */
export function sendGzipped(req: IncomingMessage, res: ServerResponse, body: Buffer, headers: Headers): void {
  res.setHeader('content-length', body.length);
  res.writeHead(res.statusCode, withType(headers, true));
  res.end(req.method === 'HEAD' ? undefined : body);
}
