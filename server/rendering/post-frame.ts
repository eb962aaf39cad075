import type { Post } from '../../models/post.js';
import type { ThreadOrder } from '../services/comments/thread.js';
import type { Renderer } from './engine.js';
import { deflatePiece, storedPiece, type DeflatedPiece } from './gzip-pieces.js';
import { freshId } from '../lib/fresh-id.js';
import { RecentMap } from '../lib/recent-map.js';
import { sameValues } from '../lib/same-values.js';
import { cutAtSlots, FRESH_ID, type Slot } from './slots.js';
import type { PagePart } from './thread-fragments.js';

/**
 * A post page as every signed-in reader without a role sees it, but for their own parts: rendered
 * once per thread version and page (posts/show with READER_SLOTS), cut at its slots, each text
 * between compressed once. Kept in the page cache under `reader:<url>` with the post's tag, so
 * whatever drops the post's page for readers without a session drops it too.
 */
export interface PostFrame {
  /** This frame among all made by the process (what a reader's rendered slots are kept under). */
  id: number;
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

let frames = 0;

export function makePostFrame(
  html: string,
  post: Post,
  options: { page: number; order: ThreadOrder },
): PostFrame {
  const { texts, slots } = cutAtSlots(html);
  return {
    id: ++frames,
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

/** A slot's rendering as pieces, with null where a fresh id goes (FRESH_ID in the rendering). */
type RenderedSlot = (DeflatedPiece | null)[];

function renderedSlot(text: string): RenderedSlot {
  const slot: RenderedSlot = [];
  text.split(FRESH_ID).forEach((between, i) => {
    if (i > 0) slot.push(null);
    if (between) slot.push(ownPiece(between));
  });
  return slot;
}

/**
 * Readers' rendered slots, per frame and reader, with what they were rendered from: a reader's next
 * page of the same frame, showing the same, renders nothing (Handlebars' setup is most of a small
 * partial's cost). At most this many are kept, the oldest dropped first.
 */
const KEPT_SLOTS = 5000;
const keptSlots = new RecentMap<string, { state: readonly unknown[]; slots: RenderedSlot[] }>(KEPT_SLOTS);

function slotsOf(frame: PostFrame, own: FrameFill['own']): RenderedSlot[] {
  if (!own) return [];
  const key = `${frame.id}:${own.reader}`;
  const kept = keptSlots.get(key);
  if (kept && sameValues(kept.state, own.state)) return kept.slots;
  return keptSlots.set(key, { state: own.state, slots: [] }).slots;
}

export interface FrameFill {
  /** What the slots render with; asked only when a slot is rendered (not when kept from before). */
  locals: () => Record<string, unknown>;
  chrome: { top: DeflatedPiece; scripts: DeflatedPiece };
  parts: PagePart[];
  /**
   * Who the page is for (their session) and everything their slots show that the frame does not
   * fix (their account, form token, follow state, last visit), compared with ===: the same again,
   * their slots rendered last time are used.
   */
  own?: { reader: string; state: readonly unknown[] };
}

/**
 * The reader's page as pieces: the frame's texts, and in its slots the layout's reader parts
 * (`chrome`), the thread's parts, and each other slot's partial rendered with `locals` (or its key),
 * a fresh id wherever it holds FRESH_ID.
 */
export function fillPostFrame(renderer: Renderer, frame: PostFrame, fill: FrameFill): DeflatedPiece[] {
  const pieces: DeflatedPiece[] = [];
  const rendered = slotsOf(frame, fill.own);
  let asked: Record<string, unknown> | undefined;
  const locals = () => (asked ??= fill.locals());
  frame.slots.forEach((slot, i) => {
    pieces.push(frame.texts[i]);
    if (slot.name === 'site/top') pieces.push(fill.chrome.top);
    else if (slot.name === 'site/reader-scripts') pieces.push(fill.chrome.scripts);
    else if (slot.name === PARTS) {
      for (const part of fill.parts) pieces.push(part.deflated ? part.deflated() : ownPiece(part.text));
    } else {
      rendered[i] ??= renderedSlot(
        renderer.renderPartial(
          slot.name,
          (slot.key ? locals()[slot.key] : locals()) as Record<string, unknown>,
        ),
      );
      for (const piece of rendered[i]) pieces.push(piece ?? storedPiece(freshId()));
    }
  });
  pieces.push(frame.texts[frame.texts.length - 1]);
  return pieces;
}
