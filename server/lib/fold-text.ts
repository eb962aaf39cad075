/**
 * Text folded for matching words, the one way both search and the word lists (suspect, banned)
 * compare them: compatibility forms folded (NFKC: full-width letters, ligatures), lower case, curly
 * apostrophes straight. Accents are kept.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'");
}
