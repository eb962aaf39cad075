import { decodeHTML } from 'entities';

/** What a reader sees of rendered (sanitised) HTML: the text without tags, entities decoded. */
export function plainText(html: string): string {
  return decodeHTML(
    html
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<\/?(p|br|li|blockquote|h\d|div|figure|figcaption)\b[^>]*>/gi, ' ')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/\s+/g, ' ')
    .trim();
}
