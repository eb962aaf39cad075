import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc32Combine } from '../../../server/lib/crc32-combine';

describe('crc32Combine', () => {
  it('gives the CRC-32 of two byte strings end to end from their own CRCs and the second one’s length', () => {
    for (let i = 0; i < 300; i++) {
      const a = randomBytes(i % 7 === 0 ? 0 : (i * 37) % 500);
      const b = randomBytes(1 + ((i * 7919) % 70000));
      const own = (bytes: Buffer) => (bytes.length ? crc32(bytes) >>> 0 : 0);
      expect(crc32Combine(own(a), own(b), b.length)).toBe(crc32(Buffer.concat([a, b])) >>> 0);
    }
  });

  it('folds many pieces into the checksum of the whole, as gzip’s trailer needs it', () => {
    const pieces = ['<!doctype html>', 'comment '.repeat(9000), 'x', 'wörld ✓'].map((t) => Buffer.from(t));
    const whole = pieces.reduce((crc, piece) => crc32Combine(crc, crc32(piece) >>> 0, piece.length), 0);
    expect(whole).toBe(crc32(Buffer.concat(pieces)) >>> 0);
  });
});
