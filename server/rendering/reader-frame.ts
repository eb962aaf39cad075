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

/**
 * Where a kept page's forms carry the guest form token: the hidden input every form template
 * writes, `<input type="hidden" name="_csrf" value="g.<hour>.<signature>">`. No comment or post can
 * write that: their text's `<` is always escaped, and sanitized HTML has no input elements.
 */
const GUEST_TOKEN = /(<input type="hidden" name="_csrf" value=")g\.\d{1,10}\.[\w-]{43}(")/g;

/**
 * A kept page cut at its guest form tokens, each text compressed once: the page for a reader whose
 * session holds nothing but a form token (they opened the sign-in page and did not sign in) is the
 * same page with their session's token between the texts. texts.length is the tokens' count + 1.
 */
export function splitAtTokens(html: Buffer): DeflatedPiece[] {
  const text = html.toString('utf8');
  const texts: string[] = [];
  let at = 0;
  for (const match of text.matchAll(GUEST_TOKEN)) {
    const token = match.index + match[1].length;
    texts.push(text.slice(at, token));
    at = match.index + match[0].length - match[2].length;
  }
  texts.push(text.slice(at));
  return texts.map((part) => deflateBytes(Buffer.from(part, 'utf8')));
}
