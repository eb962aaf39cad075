/**
 * Folds a display name to the key that decides whether two names are "the
 * same person" to a reader: case, spaces, punctuation, accents and common
 * look-alike letters from other scripts are ignored. "Marisol Vance",
 * "marisol.vance*" and "Mаrisol Vаnce" (Cyrillic а) all fold to "marisolvance";
 * letters with no look-alike are kept as they are ("王伟" stays "王伟").
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  з: '3',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  һ: 'h',
  ь: 'b',
  // Greek
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ω: 'w',
  // Latin look-alikes and digits commonly swapped in
  ı: 'i',
  ɩ: 'i',
  ɡ: 'g',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ł: 'l',
  '0': 'o',
  '1': 'l',
};

export function nameKey(name: string): string {
  const folded = name.normalize('NFKC').toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
  let key = '';
  for (const char of folded) {
    const mapped = CONFUSABLES[char] ?? char;
    // Letters and digits of every script count (a name in Chinese or Cyrillic keeps its own key);
    // spaces, punctuation and symbols do not.
    if (/^[\p{L}\p{N}]+$/u.test(mapped)) key += mapped;
  }
  return key;
}
