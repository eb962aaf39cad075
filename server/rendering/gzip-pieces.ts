import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';
import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * A piece of a page compressed on its own, so that it can be sent inside any page that contains
 * it without compressing it again: raw deflate ending on a byte boundary with a non-final block
 * (a sync flush), and its bytes for the checksum of the whole.
 */
export interface DeflatedPiece {
  bytes: Buffer;
  deflated: Buffer;
}

/** Compresses one piece (level 6 for what is kept and sent many times; less for one request's own). */
export function deflatePiece(text: string, level = 6): DeflatedPiece {
  return deflateBytes(Buffer.from(text, 'utf8'), level);
}

/** The same for bytes already encoded. */
export function deflateBytes(bytes: Buffer, level = 6): DeflatedPiece {
  return { bytes, deflated: deflateRawSync(bytes, { level, finishFlush: constants.Z_SYNC_FLUSH }) };
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
  return { bytes, deflated: Buffer.concat(blocks) };
}

/** gzip's header: deflate, no name, no time, unknown system (RFC 1952). */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
/** An empty final block (fixed Huffman codes, end of block at once): the end of the deflate stream. */
const LAST_BLOCK = Buffer.from([0x03, 0x00]);

/**
 * One gzip stream made of pieces compressed separately (RFC 1951: a stream is a series of blocks,
 * and sync-flushed blocks end on a byte boundary, so they follow one another as they are): the
 * header, each piece's blocks, a final empty block, then the checksum and length of the whole,
 * which is all that is computed per response. Returns the buffers to write, in order.
 */
export function gzipOf(pieces: readonly DeflatedPiece[]): Buffer[] {
  let crc = 0;
  let length = 0;
  for (const piece of pieces) {
    // Node 20's crc32 answers 0 for some empty buffers (Buffer.from('')), whatever the value so far.
    if (piece.bytes.length === 0) continue;
    crc = crc32(piece.bytes, crc);
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
