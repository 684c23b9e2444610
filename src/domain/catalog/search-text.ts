// How a search box's text becomes words, the same way the catalog's words were made: this is
// the TypeScript twin of catalog_prefold (migration 005-catalog-search), which folds what
// unaccent does not — apostrophes and modifier letters inside romanised words (Maʻārif,
// O'Brien), Hebrew points, Arabic vowel marks and tatweel, Arabic letter variants typed alike.
// A test runs both on the same strings.

const dropped = /['\u2019\u02B0-\u02FF\u0591-\u05C7\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/gu;
const variants: Record<string, string> = { '\u0623': '\u0627', '\u0625': '\u0627', '\u0622': '\u0627', '\u0671': '\u0627', '\u0649': '\u064A', '\u0629': '\u0647' };
const variantPattern = /[\u0623\u0625\u0622\u0671\u0649\u0629]/gu;

export function prefoldForSearch(text: string): string {
  return text.normalize('NFC').replace(dropped, '').replace(variantPattern, (c) => variants[c]);
}

/**
 * The words of a query, letters (with their marks) and digits only, so that nothing a user types
 * can reach to_tsquery as an operator; at most 32.
 */
export function searchWords(q: string): string[] {
  return prefoldForSearch(q)
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => w !== '')
    .slice(0, 32);
}

/** The words as a tsquery: all of them, the last one also as the start of a longer word (typing). */
export function prefixQuery(words: readonly string[]): string | null {
  if (words.length === 0) return null;
  return words.map((w, i) => (i === words.length - 1 ? `'${w}':*` : `'${w}'`)).join(' & ');
}
