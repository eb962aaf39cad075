import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { splitAtTokens, splitForReaders, type ReaderFrame } from './reader-frame.js';
import type { DeflatedPiece } from './gzip-pieces.js';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export type Encoding = 'br' | 'gzip' | 'identity';

/** One page as every anonymous reader gets it: the bytes, compressed once per encoding, and its ETag. */
export interface CachedPage {
  etag: string;
  builtAt: number;
  /** The response headers the page was first sent with (security headers, type, caching), to send again. */
  headers: Record<string, string | string[]>;
  bytes(encoding: Encoding): Promise<Buffer>;
  /**
   * For a page a signed-in reader sees as everyone does but for the layout's reader parts: the
   * page cut around them, compressed once (made when first asked for); undefined for other pages.
   */
  readerFrame(): ReaderFrame | undefined;
  /** The page cut at its guest form tokens, each text compressed once (made when first asked for). */
  tokenFrame(): DeflatedPiece[];
  /** What the page's builder kept with it (a signed-in reader's post page frame). */
  extra?: unknown;
}

interface Entry extends CachedPage {
  tags: string[];
  size: number;
}

/**
 * Whole pages for readers who are not signed in, kept as bytes and served from memory until a
 * domain event says what they show has changed (`invalidate(tag)`: a post's id, or "listing" for
 * pages that list posts), or `maxAgeMs` passes (a bound for writes this process never hears of:
 * another process without Redis, an import). Compressed in the thread pool (gzip, and brotli at a
 * quality that keeps a rebuild cheap), each encoding once, when a reader first asks for it.
 */
export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byTag = new Map<string, Set<string>>();
  /** Counts invalidations; each tag remembers the last that hit it, so a page built while its tag was invalidated is not kept. */
  private generation = 0;
  private readonly invalidatedAt = new Map<string, number>();
  /** The generation of the last `clear()`: no page whose build began before it is kept. */
  private everythingAt = -1;
  private bytes = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
    /** Plain bytes kept at most, whatever the count (pages of big threads are big). */
    private readonly maxBytes = 256 * 1024 * 1024,
  ) {}

  get(key: string): CachedPage | undefined {
    const found = this.lookup(key);
    return found && !found.stale ? found.page : undefined;
  }

  /**
   * The page and whether it is past `maxAgeMs`: a stale page may still be served while one request
   * rebuilds it (nothing changed that this process heard of). Past twice the age it is dropped.
   */
  lookup(key: string): { page: CachedPage; stale: boolean } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const age = this.now() - entry.builtAt;
    if (age > 2 * this.maxAgeMs) {
      this.drop(key);
      return undefined;
    }
    return { page: entry, stale: age > this.maxAgeMs };
  }

  /** Where a build starts: pass it to `store`, which refuses pages an invalidation overtook. */
  ticket(): number {
    return this.generation;
  }

  store(
    key: string,
    tags: string[],
    ticket: number,
    html: string,
    headers: Record<string, string | string[]> = {},
    options: { readers?: boolean; extra?: unknown } = {},
  ): CachedPage | undefined {
    if (this.maxEntries === 0) return undefined;
    if (this.everythingAt > ticket) return undefined;
    if (tags.some((tag) => (this.invalidatedAt.get(tag) ?? -1) > ticket)) return undefined;
    const plain = Buffer.from(html, 'utf8');
    const etag = `"${createHash('sha1').update(plain).digest('base64url')}"`;
    const encoded = new Map<Encoding, Promise<Buffer>>([['identity', Promise.resolve(plain)]]);
    let frame: ReaderFrame | undefined | null = options.readers ? null : undefined;
    let tokens: DeflatedPiece[] | undefined;
    const entry: Entry = {
      size: plain.length,
      etag,
      headers: { ...headers, ETag: etag },
      builtAt: this.now(),
      tags,
      extra: options.extra,
      bytes(encoding) {
        let bytes = encoded.get(encoding);
        if (!bytes) {
          bytes =
            encoding === 'br'
              ? brotliAsync(plain, {
                  params: {
                    [constants.BROTLI_PARAM_QUALITY]: 5,
                    [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
                  },
                })
              : gzipAsync(plain, { level: 6 });
          encoded.set(encoding, bytes);
        }
        return bytes;
      },
      readerFrame() {
        if (frame === null) frame = splitForReaders(plain);
        return frame;
      },
      tokenFrame() {
        tokens ??= splitAtTokens(plain);
        return tokens;
      },
    };
    this.drop(key);
    this.entries.set(key, entry);
    this.bytes += entry.size;
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    while (this.entries.size > this.maxEntries || (this.bytes > this.maxBytes && this.entries.size > 1)) {
      this.drop(this.entries.keys().next().value as string);
    }
    return entry;
  }

  /** Drops every page that shows this tag. */
  invalidate(tag: string): void {
    this.generation += 1;
    this.invalidatedAt.set(tag, this.generation);
    if (this.invalidatedAt.size > 100000) this.invalidatedAt.clear();
    for (const key of this.byTag.get(tag) ?? []) this.drop(key);
  }

  /** Drops every page (a setting that shows on every page changed). */
  clear(): void {
    this.generation += 1;
    for (const key of [...this.entries.keys()]) this.drop(key);
    // Pages being built now began before the change: a tag invalidated at this generation refuses them all.
    this.everythingAt = this.generation;
  }

  /** Drops one page (its rebuild found it gone or changed in a way no event reported). */
  delete(key: string): void {
    this.drop(key);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.size;
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }
}
