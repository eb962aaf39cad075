import { gunzipSync } from 'node:zlib';
import { deflatePiece, gzipOf, storedPiece } from '../../../server/rendering/gzip-pieces';

describe('one gzip stream from pieces compressed apart', () => {
  it('decompresses to the pieces in order, whatever their sizes, levels and characters', () => {
    const pieces = ['<!doctype html><p>héllo ', 'comment '.repeat(20000), '', ' wörld ✓ 🙂</p>', 'a'];
    const sent = Buffer.concat(gzipOf(pieces.map((text, i) => deflatePiece(text, i % 2 ? 1 : 6))));
    expect(gunzipSync(sent).toString('utf8')).toBe(pieces.join(''));
    // Compressed, not just wrapped.
    expect(sent.length).toBeLessThan(Buffer.byteLength(pieces.join('')) / 10);
  });

  it('makes a valid stream of no pieces at all, and reuses a piece in many streams', () => {
    expect(gunzipSync(Buffer.concat(gzipOf([]))).toString()).toBe('');
    const shared = deflatePiece('<li>shared</li>');
    for (const name of ['Ana', 'Bo']) {
      const page = gzipOf([deflatePiece(`<h1>${name}</h1>`, 1), shared, deflatePiece('</ol>', 1)]);
      expect(gunzipSync(Buffer.concat(page)).toString()).toBe(`<h1>${name}</h1><li>shared</li></ol>`);
    }
  });

  it('takes stored (uncompressed) pieces between compressed ones, empty or past one block’s 65,535 bytes', () => {
    const texts = ['<header>Nora ✓</header>', '', 'x'.repeat(70000) + 'ü'];
    for (const text of texts) {
      const page = gzipOf([deflatePiece('<main>'), storedPiece(text), deflatePiece('</main>')]);
      expect(gunzipSync(Buffer.concat(page)).toString()).toBe(`<main>${text}</main>`);
    }
    expect(storedPiece('abc').deflated).toHaveLength(5 + 3);
  });

  it('compresses a piece as following another (back references into it), sent right after it', () => {
    const first = '<li class="comment"><p>An answer about the manager and the schedule.</p></li>'.repeat(3);
    const second = '<li class="comment"><p>Another answer about the manager and the schedule.</p></li>';
    const alone = deflatePiece(second);
    const chained = deflatePiece(second, 6, Buffer.from(first));
    expect(chained.deflated.length).toBeLessThan(alone.deflated.length / 2);
    const page = gzipOf([deflatePiece('<ol>'), deflatePiece(first), chained, deflatePiece('</ol>')]);
    expect(gunzipSync(Buffer.concat(page)).toString()).toBe(`<ol>${first}${second}</ol>`);
  });
});
