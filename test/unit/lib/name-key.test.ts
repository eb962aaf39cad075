import { nameKey } from '../../../server/lib/name-key';

describe('nameKey', () => {
  it('folds the examples from its own documentation to one key', () => {
    expect(nameKey('Marisol Vance')).toBe('marisolvance');
    expect(nameKey('marisol.vance*')).toBe('marisolvance');
    expect(nameKey('M\u0430risol V\u0430nce')).toBe('marisolvance'); // Cyrillic а
  });

  it('ignores case', () => {
    expect(nameKey('MARISOL VANCE')).toBe('marisolvance');
    expect(nameKey('mArIsOl')).toBe(nameKey('marisol'));
  });

  it('drops spaces, punctuation, symbols and invisible characters', () => {
    expect(nameKey('  Marisol   Vance  ')).toBe('marisolvance');
    expect(nameKey('marisol_vance')).toBe('marisolvance');
    expect(nameKey('Marisol-Vance!!')).toBe('marisolvance');
    expect(nameKey('O’Brien')).toBe('obrien');
    expect(nameKey("O'Brien")).toBe('obrien');
    expect(nameKey('aa\u200bbb')).toBe('aabb'); // zero-width space
    expect(nameKey('★ Marisol ★')).toBe('marisol');
  });

  it('strips accents and other combining marks', () => {
    expect(nameKey('Márísöl Vânce')).toBe('marisolvance');
    expect(nameKey('Ma\u0301risol')).toBe('marisol'); // decomposed accent
    expect(nameKey('Zoë Ñúñez')).toBe('zoenunez');
  });

  it('folds compatibility forms (full-width letters, ligatures, styled letters)', () => {
    expect(nameKey('ｍａｒｉｓｏｌ')).toBe('marisol');
    expect(nameKey('\ufb01ona')).toBe('fiona'); // ﬁ ligature
    expect(nameKey('ℌ')).toBe('h');
    expect(nameKey('x²')).toBe('x2');
  });

  it('maps Cyrillic look-alike letters to their Latin twins', () => {
    // е, т, р, а, с, о, х, у, і, ј, ѕ, ԁ are Cyrillic below
    expect(nameKey('\u0435\u0442\u0440\u0430\u0441\u043e')).toBe('etpaco');
    expect(nameKey('\u0445\u0443\u0456\u0458\u0455\u0501')).toBe('xyijsd');
    expect(nameKey('l\u0435tt\u0435r wr\u0456t\u0435r')).toBe('letterwriter');
    // Capitals lower-case first, then map.
    expect(nameKey('\u0410\u0412\u0415')).toBe('abe');
    // ё and ї lose their marks, then map.
    expect(nameKey('\u0451')).toBe('e');
    expect(nameKey('\u0457')).toBe('i');
  });

  it('maps Greek look-alike letters', () => {
    expect(nameKey('\u03b1\u03b2\u03b5')).toBe('abe');
    expect(nameKey('\u039d\u0395\u039f')).toBe('veo'); // capital Ν Ε Ο
    expect(nameKey('\u03bd\u03b5\u03bf')).toBe('veo');
    expect(nameKey('\u03b7')).toBe('n');
  });

  it('maps Latin look-alikes and multi-letter forms', () => {
    expect(nameKey('Straße')).toBe('strasse');
    expect(nameKey('Straße')).toBe(nameKey('Strasse'));
    expect(nameKey('Ærø')).toBe('aero');
    expect(nameKey('Œuvre')).toBe('oeuvre');
    expect(nameKey('Łukasz')).toBe('lukasz');
    expect(nameKey('Đorđe')).toBe('dorde');
    expect(nameKey('\u0131\u0261')).toBe('ig'); // dotless ı, script ɡ
    expect(nameKey('İlker')).toBe('ilker'); // capital I with dot above
  });

  it('reads 0 as o and 1 as l, keeps other digits', () => {
    expect(nameKey('M0RIS0L')).toBe('morisol');
    expect(nameKey('mar1sol')).toBe('marlsol');
    expect(nameKey('reader42')).toBe('reader42');
    expect(nameKey('user 2 3')).toBe('user23');
  });

  it('makes different names differ', () => {
    expect(nameKey('Marisol Vance')).not.toBe(nameKey('Marisol Vancer'));
    expect(nameKey('Ann')).not.toBe(nameKey('Anne'));
  });

  it('returns an empty key for names with no letters or digits it keeps', () => {
    expect(nameKey('')).toBe('');
    expect(nameKey('   ')).toBe('');
    expect(nameKey('!!! ***')).toBe('');
  });

  it('keeps only a-z and 0-9 in the key of a Latin-script name', () => {
    const samples = [
      'Márísöl Vânce',
      'M\u0430risol',
      'ｍａｒｉｓｏｌ',
      'Straße ①',
      'Zoë-Ñúñez (2nd)',
      'Ærø_Łukasz!',
    ];
    for (const sample of samples) expect(nameKey(sample)).toMatch(/^[a-z0-9]*$/);
  });

  it('is idempotent', () => {
    for (const sample of ['Márísöl Vânce', 'M\u0430risol', 'Straße', 'b1ll', 'Ærø']) {
      expect(nameKey(nameKey(sample))).toBe(nameKey(sample));
    }
  });

  it('keeps letters it has no look-alike for, so non-Latin names keep a distinct key', () => {
    expect(nameKey('王伟')).toBe('王伟');
    expect(nameKey('王 伟!')).toBe('王伟');
    // Look-alikes still fold, the rest stays: "Иван" is not the Latin "Bah".
    expect(nameKey('Иван')).not.toBe(nameKey('Bah'));
    expect(nameKey('Иван')).toBe(nameKey('иван'));
    expect(nameKey('Йосип')).not.toBe(nameKey('oc'));
  });
});
