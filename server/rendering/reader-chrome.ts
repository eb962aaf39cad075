import { deflatePiece, storedPiece, type DeflatedPiece } from './gzip-pieces.js';
import type { Renderer } from './engine.js';
import { RecentMap } from '../lib/recent-map.js';
import { sameValues } from '../lib/same-values.js';
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

/** The app's `site` locals: title and description read per page (admins change them while it runs). */
interface SiteLocals {
  readonly title: unknown;
  readonly description: unknown;
}

/**
 * The layout's reader parts for a signed-in reader: site/top (the body tag, the header, a
 * warning) and site/reader-scripts, as pieces of a stitched gzip page. A reader's header is
 * remembered per session with everything it shows (Handlebars' setup per render is most of its
 * cost), compared with === (accounts, warnings and counts are new objects or values when they
 * change), so it is the same across the pages they read until a count, a name or a warning
 * changes; the page's address counts only with a warning.
 */
export class ReaderChrome {
  private readonly tops = new RecentMap<string, { state: unknown[]; top: DeflatedPiece }>(REMEMBERED);
  private scripts: DeflatedPiece | undefined;

  constructor(
    private readonly renderer: Renderer,
    private readonly site: SiteLocals,
  ) {}

  parts(reader: ChromeReader): { top: DeflatedPiece; scripts: DeflatedPiece } {
    const { sid, user, csrfToken, unreadReplies, warning, url } = reader;
    const state = [
      this.site.title,
      this.site.description,
      user,
      csrfToken,
      unreadReplies,
      warning,
      warning ? url : null,
    ];
    const kept = this.tops.get(sid);
    let top = kept && sameValues(kept.state, state) ? kept.top : undefined;
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
      this.tops.set(sid, { state, top });
    }
    // The same for every signed-in reader: rendered for none in particular.
    this.scripts ??= deflatePiece(this.renderer.renderPartial('site/reader-scripts', { currentUser: true }));
    return { top, scripts: this.scripts };
  }
}
