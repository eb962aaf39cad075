import { autop, plainExcerpt, sanitizePostHtml } from '../../lib/markdown.js';

/** A post's content as WordPress shows it, split into the letter and the answer. */
export interface WordpressContent {
  letterHtml: string;
  answerHtml: string;
  excerpt: string;
  /** What was changed on the way, for the import report ("dropped shortcode [gallery]"). */
  changes: string[];
}

/** Core shortcodes that only make sense inside WordPress: dropped, and counted. */
const DROPPED_SHORTCODES = new Set(['gallery', 'audio', 'video', 'playlist']);

// "A reader writes:" (in a paragraph, maybe emphasised) then a block quote: the letter, and the rest is the answer.
const LETTER =
  /^\s*(?:<p[^>]*>)?\s*(?:<(?:em|strong|i|b)>\s*)?A reader writes:?\s*(?:<\/(?:em|strong|i|b)>\s*)?(?:<\/p>)?\s*<blockquote[^>]*>([\s\S]*?)<\/blockquote>([\s\S]*)$/i;
const MORE = /<!--more(?:\s[^>]*)?-->/i;

/**
 * Escapes text for an attribute or element, leaving entities already there as they are: values taken
 * from WordPress's HTML are already encoded (markdown.ts's escapeHtml would encode them twice).
 */
const escapeHtml = (text: string) =>
  text
    .replace(/&(?![#\w]+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag)?.slice(1).find(Boolean) ?? '';

/** `<img>` as a link to the image's original address (with its alt text), never a hotlinked picture. */
function imagesToLinks(html: string): string {
  // A linked thumbnail: one link, to where the link went, named by the image.
  const linked = html.replace(
    /<a\b([^>]*)>\s*(<img\b[^>]*>)\s*<\/a>/gi,
    (whole, attrs: string, img: string) => {
      const href = attr(` ${attrs}`, 'href');
      const alt = attr(img, 'alt');
      return href ? `<a href="${escapeHtml(href)}">Image${alt ? `: ${escapeHtml(alt)}` : ''}</a>` : whole;
    },
  );
  return linked.replace(/<img\b[^>]*>/gi, (tag) => {
    const src = attr(tag, 'src');
    if (!src) return '';
    const alt = attr(tag, 'alt');
    return `<a href="${escapeHtml(src)}">Image${alt ? `: ${escapeHtml(alt)}` : ''}</a>`;
  });
}

/** A JSON string's content as text (block attributes escape &, <, > and "--" as \\u0026…). */
function jsonString(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return '';
  }
}

/** Block editor embeds, [embed] and URLs alone on a line (WordPress's auto-embeds), as links. */
function embedsToLinks(html: string): string {
  const link = (url: string) => `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`;
  return html
    .replace(/<!--\s*wp:(?:core-)?embed\b[^>]*?-->[\s\S]*?<!--\s*\/wp:(?:core-)?embed\s*-->/g, (block) => {
      const url = jsonString(/"url"\s*:\s*"((?:[^"\\]|\\.)+)"/.exec(block)?.[1] ?? '');
      return url ? link(url) : '';
    })
    .replace(/\[embed[^\]]*\]\s*(\S+?)\s*\[\/embed\]/gi, (_m, url: string) => link(url))
    .replace(/^[ \t]*(https?:\/\/[^\s<>"]+)[ \t]*$/gm, (_m, url: string) => link(url));
}

/** [caption]…[/caption] as a figure; gallery and media shortcodes, and plugins' ones, dropped and counted. */
function shortcodes(html: string, changes: string[]): string {
  let out = html.replace(
    /\[(?:wp_)?caption\b[^\]]*\]([\s\S]*?)\[\/(?:wp_)?caption\]/gi,
    (_m, inner: string) => {
      const media = /^\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?/i.exec(inner);
      const caption = media ? inner.slice(media[0].length).trim() : inner.trim();
      return `<figure>${media ? media[0] : ''}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure>`;
    },
  );
  // [name attr="…"] or [name]…[/name] for the core media codes; any other code with attributes is a
  // plugin's (its output cannot be made here). Bare "[sic]" or "[…]" in a letter is text, and stays.
  out = out.replace(
    /\[([a-z][\w-]*)((?:\s+[\w-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s\]"']+))*)\s*\/?\](?:([\s\S]*?)\[\/\1\])?/gi,
    (whole, name: string, attrs: string, inner: string | undefined) => {
      const code = name.toLowerCase();
      if (DROPPED_SHORTCODES.has(code)) {
        changes.push(`dropped shortcode [${code}]`);
        return '';
      }
      if (!attrs.trim()) return whole;
      // A plugin's code: its own output cannot be made here; what it wrapped is kept.
      changes.push(inner ? `removed shortcode [${code}], kept its text` : `dropped shortcode [${code}]`);
      return inner ?? '';
    },
  );
  return out;
}

/** Block markup's comments removed, keeping what they wrap. */
function stripBlockComments(html: string): string {
  return html.replace(/<!--\s*\/?wp:[\s\S]*?-->/g, '').replace(/<!--nextpage-->/gi, '');
}

/** The text transforms, before paragraphs are made (which must happen in the letter and the answer apart). */
function clean(raw: string, changes: string[]): string {
  return stripBlockComments(shortcodes(embedsToLinks(raw), changes));
}

/** Paragraphs made as WordPress shows them, then images as links and the site's sanitizing. */
function finish(html: string): string {
  // Paragraphs left empty by what the sanitizer removed (an iframe, a script) go too.
  return sanitizePostHtml(imagesToLinks(autop(html)))
    .replace(/<p>\s*<\/p>\n?/g, '')
    .trim();
}

/**
 * Turns a post's `content:encoded` into what this site stores: block comments removed, captions as
 * figures, embeds and images as links, other shortcodes dropped (and counted), the "A reader writes:"
 * letter split from the answer, and the excerpt from WordPress's own (`excerpt:encoded`), else the
 * text before `<!--more-->`, else the letter.
 */
export function wordpressContent(raw: string, manualExcerpt = ''): WordpressContent {
  const changes: string[] = [];
  const more = MORE.exec(raw);
  const whole = clean(raw.replace(MORE, '\n\n'), changes);
  const match = LETTER.exec(whole);
  const letterHtml = match ? finish(match[1]) : '';
  const answerHtml = finish(match ? match[2] : whole);
  let excerpt = plainExcerpt(manualExcerpt);
  if (!excerpt && more) {
    const teaser = clean(raw.slice(0, more.index), []);
    excerpt = plainExcerpt(finish(LETTER.exec(teaser)?.[1] ?? teaser));
  }
  return { letterHtml, answerHtml, excerpt: excerpt || plainExcerpt(letterHtml || answerHtml), changes };
}
