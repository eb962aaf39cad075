import { randomBytes } from 'node:crypto';

/** Set in a page's locals to render it as a frame: each {{slot}} leaves a marker instead of its partial. */
export const READER_SLOTS = 'readerSlots';

/** Per process, so no text in a page (a post, a comment) can pose as a marker. */
const NONCE = randomBytes(9).toString('base64url');
const MARKER = new RegExp(`<!--slot:${NONCE}:([\\w/-]+):(\\w*)-->`, 'g');

/** Where a slot's partial goes in a frame: the partial's name and the root key it renders with ('' for the root). */
export interface Slot {
  name: string;
  key: string;
}

/**
 * Stands in a slot's rendering for a value new on every page (a form's one-time submission id), so
 * that the rest of the slot is rendered once per reader and kept: base64url, which no escaping changes.
 */
export const FRESH_ID = `fresh${NONCE}id`;

export function slotMarker(name: string, key: string): string {
  return `<!--slot:${NONCE}:${name}:${key}-->`;
}

/** A frame cut at its markers: texts.length === slots.length + 1, slot i between texts i and i + 1. */
export function cutAtSlots(html: string): { texts: string[]; slots: Slot[] } {
  const texts: string[] = [];
  const slots: Slot[] = [];
  let at = 0;
  for (const match of html.matchAll(MARKER)) {
    texts.push(html.slice(at, match.index));
    slots.push({ name: match[1], key: match[2] });
    at = match.index + match[0].length;
  }
  texts.push(html.slice(at));
  return { texts, slots };
}
