import { decodeHTML } from 'entities';
import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Raw HTML inside Markdown is shown as text, never interpreted: readers who
 * type "<b>" see "<b>". Sanitizing afterwards is the second line of defence.
 */
function markdown(): Marked {
  return new Marked({
    gfm: true,
    breaks: true,
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag) {
        return escapeHtml(token.text);
      },
    },
  });
}

const commentMarkdown = markdown();
const postMarkdown = markdown();

const linkRel =
  (rel: string): sanitizeHtml.Transformer =>
  (tagName, attribs) => ({
    tagName,
    attribs: { ...attribs, rel },
  });

/** The comment subset: emphasis, links, block quotes, lists, code. Links get rel="nofollow ugc". */
const COMMENT_POLICY: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'del', 'a', 'blockquote', 'ul', 'ol', 'li', 'code', 'pre'],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { a: linkRel('nofollow ugc') },
};

/** Posts are written by staff: headings and images too, still sanitized. */
const POST_POLICY: sanitizeHtml.IOptions = {
  allowedTags: [
    ...(COMMENT_POLICY.allowedTags as string[]),
    'h2',
    'h3',
    'h4',
    'hr',
    'img',
    'figure',
    'figcaption',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
};

export function renderCommentMarkdown(source: string): string {
  return sanitizeHtml(commentMarkdown.parse(source, { async: false }), COMMENT_POLICY).trim();
}

export function renderPostMarkdown(source: string): string {
  return sanitizeHtml(postMarkdown.parse(source, { async: false }), POST_POLICY).trim();
}

/** Plain text of sanitized HTML, collapsed, cut at a word boundary. */
export function plainExcerpt(html: string, maxLength = 240): string {
  const text = decodeHTML(sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }))
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), maxLength - 20)).trimEnd()}…`;
}

/** Imported HTML (WordPress, Disqus) through the same policies as what is written here. */
export function sanitizePostHtml(html: string): string {
  return sanitizeHtml(html, POST_POLICY).trim();
}

export function sanitizeCommentHtml(html: string): string {
  return sanitizeHtml(html, COMMENT_POLICY).trim();
}

/**
 * WordPress stores text with bare line breaks (its editor adds paragraphs on
 * display, "autop"). Blank lines become paragraphs, single breaks <br>, unless
 * the HTML already has its own block structure.
 */
export function autop(html: string): string {
  const text = html.replace(/\r\n/g, '\n').trim();
  if (!text) return '';
  if (/<(p|div|ul|ol|blockquote|h[1-6]|pre|table|figure)[\s>]/i.test(text) && !/\n\s*\n/.test(text))
    return text;
  return text
    .split(/\n\s*\n/)
    .map((block) =>
      /^<(p|div|ul|ol|blockquote|h[1-6]|pre|table|figure)[\s>]/i.test(block.trim())
        ? block.trim()
        : `<p>${block.trim().replace(/\n/g, '<br>')}</p>`,
    )
    .join('\n');
}
