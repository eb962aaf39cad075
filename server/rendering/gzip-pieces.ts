import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { crc32Combine } from '../lib/crc32-combine.js';

/**
 * A piece of a page compressed on its own, so that it can be sent inside any page that contains
 * it without compressing it again: raw deflate ending on a byte boundary with a non-final block
 * (a sync flush), its bytes (a page sent without compression), and their CRC-32, from which the
 * checksum of a whole page is combined without reading its bytes again.
 */
export interface DeflatedPiece {
  bytes: Buffer;
  deflated: Buffer;
  crc: number;
}

/** The CRC-32 of bytes (Node 20's crc32 answers 0 for some empty buffers, which is right for them alone). */
function checksum(bytes: Buffer): number {
  return bytes.length === 0 ? 0 : crc32(bytes) >>> 0;
}

/**
 * Compresses one piece (level 6 for what is kept and sent many times; less for one request's own).
 * With `after`, the piece may refer back into those bytes (deflate's 32 KiB window), as pieces
 * compressed in one stream do: it must then be sent right after exactly them, never elsewhere.
 */
export function deflatePiece(text: string, level = 6, after?: Buffer): DeflatedPiece {
  return deflateBytes(Buffer.from(text, 'utf8'), level, after);
}

/** Deflate's window: how far back a piece can refer. */
const WINDOW = 32768;

/** The same for bytes already encoded. */
export function deflateBytes(bytes: Buffer, level = 6, after?: Buffer): DeflatedPiece {
  const dictionary = after?.length ? after.subarray(Math.max(0, after.length - WINDOW)) : undefined;
  return {
    bytes,
    deflated: deflateRawSync(bytes, { level, finishFlush: constants.Z_SYNC_FLUSH, dictionary }),
    crc: checksum(bytes),
  };
}

/**
 * One request's own small piece as a stored (uncompressed) deflate block: no zlib call at all,
 * where setting a compressor up costs tens of microseconds, more than a few hundred bytes on the
 * wire are worth. A non-final block header on a byte boundary, then LEN and its complement.
 */
export function storedPiece(text: string): DeflatedPiece {
  const bytes = Buffer.from(text, 'utf8');
  const blocks: Buffer[] = [];
  for (let at = 0; at < bytes.length || at === 0; at += 65535) {
    const chunk = bytes.subarray(at, at + 65535);
    const head = Buffer.alloc(5);
    head[0] = 0x00;
    head.writeUInt16LE(chunk.length, 1);
    head.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(head, chunk);
    if (bytes.length === 0) break;
  }
  return { bytes, deflated: Buffer.concat(blocks), crc: checksum(bytes) };
}

/** gzip's header: deflate, no name, no time, unknown system (RFC 1952). */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
/** An empty final block (fixed Huffman codes, end of block at once): the end of the deflate stream. */
const LAST_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * One gzip stream made of pieces compressed separately (RFC 1951: a stream is a series of blocks,
 * and sync-flushed blocks end on a byte boundary, so they follow one another as they are): the
 * header, each piece's blocks, a final empty block, then the checksum and length of the whole,
 * combined from the pieces' own (no pass over the page's bytes per response). Returns the buffers
 * to write, in order.
 */
export function gzipOf(pieces: readonly DeflatedPiece[]): Buffer[] {
  let crc = 0;
  let length = 0;
  for (const piece of pieces) {
    if (piece.bytes.length === 0) continue;
    crc = crc32Combine(crc, piece.crc, piece.bytes.length);
    length += piece.bytes.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return [HEADER, ...pieces.map((piece) => piece.deflated), LAST_BLOCK, trailer];
}

/** Whether the client takes gzip (a personal page is sent as gzip or as it is), remembered per header. */
const takesGzip = new Map<string, boolean>();
export function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'] ?? '';
  let gzip = takesGzip.get(header);
  if (gzip === undefined) {
    gzip = new Negotiator(req).encodings(['gzip', 'identity'])[0] === 'gzip';
    if (takesGzip.size < 1000) takesGzip.set(header, gzip);
  }
  return gzip;
}
