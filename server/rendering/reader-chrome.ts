import { deflatePiece, storedPiece, type DeflatedPiece } from './gzip-pieces.js';
import type { Renderer } from './engine.js';
import type { SessionUser } from '../services/accounts/user-service.js';

/** At most this many readers' headers are remembered (the oldest go first). */
const REMEMBERED = 20000;

/** Who reads, as the layout's reader parts show them. */
export interface ChromeReader {
  sid: string;
  user: object;
  csrfToken: string;
  /** As the header shows it ("99+" past the cap). */
  unreadReplies: number | string;
  warning: unknown;
  /** The address of the page (a warning's form comes back to it). */
  url: string;
}

/** A signed-in reader a page is made for. */
export interface FramedReader extends ChromeReader {
  user: SessionUser;
}

/**
 * The layout's reader parts for a signed-in reader: site/top (the body tag, the header, a
 * warning) and site/reader-scripts, as pieces of a stitched gzip page. A reader's header is
 * remembered by everything it shows (Handlebars' setup per render is most of its cost), so it is
 * the same across the pages they read until a count, a name or a warning changes; the page's
 * address counts only with a warning.
 */
export class ReaderChrome {
  private readonly tops = new Map<string, DeflatedPiece>();
  private scripts: DeflatedPiece | undefined;

  constructor(
    private readonly renderer: Renderer,
    /** The app's `site` locals (title, description, URL), read per page. */
    private readonly site: object,
  ) {}

  parts(reader: ChromeReader): { top: DeflatedPiece; scripts: DeflatedPiece } {
    const { sid, user, csrfToken, unreadReplies, warning, url } = reader;
    const key = JSON.stringify([this.site, sid, user, unreadReplies, warning ? [warning, url] : null]);
    let top = this.tops.get(key);
    if (!top) {
      const locals = {
        site: this.site,
        currentUser: user,
        csrfToken,
        warning,
        currentPath: url,
        unreadReplies,
      };
      top = storedPiece(this.renderer.renderPartial('site/top', locals));
      this.tops.set(key, top);
      if (this.tops.size > REMEMBERED) this.tops.delete(this.tops.keys().next().value as string);
    }
    // The same for every signed-in reader: rendered for none in particular.
    this.scripts ??= deflatePiece(this.renderer.renderPartial('site/reader-scripts', { currentUser: true }));
    return { top, scripts: this.scripts };
  }
}
