import { deflateBytes, type DeflatedPiece } from './gzip-pieces.js';

/**
 * A page kept for every reader, cut where the layout puts what is the reader's own: `head` up to
 * `<body` (the site/top partial: the body tag, the header, a warning), `middle` from `<main` up to
 * `</body>` (where site/reader-scripts goes; empty for a reader without a session), and `tail`.
 * Each part is compressed once; a signed-in reader's page is these with their own parts between.
 */
export interface ReaderFrame {
  head: DeflatedPiece;
  middle: DeflatedPiece;
  tail: DeflatedPiece;
}

const BODY = Buffer.from('<body');
const MAIN = Buffer.from('<main id="main"');
const END = Buffer.from('</body>');

/** Cuts a page rendered by layouts/main; undefined when it is not one (no cut found). */
export function splitForReaders(html: Buffer): ReaderFrame | undefined {
  // Everything before <body> and around <main> is the layout's own or escaped text: the first
  // "<body" and "<main" are the layout's, and the last "</body>" too.
  const top = html.indexOf(BODY);
  const main = top < 0 ? -1 : html.indexOf(MAIN, top);
  const end = html.lastIndexOf(END);
  if (top < 0 || main < 0 || end < main) return undefined;
  return {
    head: deflateBytes(html.subarray(0, top)),
    middle: deflateBytes(html.subarray(main, end)),
    tail: deflateBytes(html.subarray(end)),
  };
}
