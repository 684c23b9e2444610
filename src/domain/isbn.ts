import { invalid, ok, type Result } from './refusal';

// ISBNs arrive as people type and print them ("978-0-14-044913-6", "0 14 044913 x"); records
// keep one spelling, digits and a final X, so that search and duplicate checks compare like
// with like.

/** Strips hyphens and spaces and upper-cases a final check character x. */
export function normaliseIsbn(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

function isValidIsbn10(isbn: string): boolean {
  if (!/^\d{9}[\dX]$/.test(isbn)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = isbn[i] === 'X' ? 10 : Number(isbn[i]);
    sum += digit * (10 - i);
  }
  return sum % 11 === 0;
}

function isbn13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

function isValidIsbn13(isbn: string): boolean {
  return /^\d{13}$/.test(isbn) && isbn13CheckDigit(isbn.slice(0, 12)) === Number(isbn[12]);
}

/** Whether an already normalised ISBN-10 or ISBN-13 has a correct check digit. */
export function isValidIsbn(isbn: string): boolean {
  return isbn.length === 10 ? isValidIsbn10(isbn) : isValidIsbn13(isbn);
}

/** The normalised ISBN, or a refusal naming `field` that says what is wrong with it. */
export function parseIsbn(raw: string, field = 'isbn'): Result<string> {
  const isbn = normaliseIsbn(raw);
  if (!/^(\d{9}[\dX]|\d{13})$/.test(isbn)) {
    return invalid(field, `"${raw.slice(0, 40)}" is not an ISBN: an ISBN has 10 or 13 digits (the last of an ISBN-10 may be X).`);
  }
  if (!isValidIsbn(isbn)) return invalid(field, `${isbn} is not a valid ISBN: its check digit does not match (a typing mistake?).`);
  return ok(isbn);
}

/** Normalises and checks every ISBN of a record, dropping repeats and keeping their order. */
export function parseIsbns(raw: readonly string[], field = 'isbn'): Result<string[]> {
  const seen: string[] = [];
  for (const one of raw) {
    const parsed = parseIsbn(one, field);
    if (!parsed.ok) return parsed;
    if (!seen.includes(parsed.value)) seen.push(parsed.value);
  }
  return ok(seen);
}

/**
 * Both spellings of one book's ISBN: a book printed before 2007 carries an ISBN-10 while its
 * record may hold the ISBN-13 (978 + the first nine digits + a new check digit), or the reverse.
 */
export function isbnForms(isbn: string): string[] {
  if (isbn.length === 10) {
    const first12 = `978${isbn.slice(0, 9)}`;
    return [isbn, `${first12}${isbn13CheckDigit(first12)}`];
  }
  if (isbn.startsWith('978')) {
    const core = isbn.slice(3, 12);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(core[i]) * (10 - i);
    const check = (11 - (sum % 11)) % 11;
    return [isbn, `${core}${check === 10 ? 'X' : check}`];
  }
  // 979 ISBNs have no ISBN-10 form
  return [isbn];
}
