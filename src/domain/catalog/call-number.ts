import type { MarcField } from './marc-fields';

// A call number a public library would put on the spine, suggested from the record when the
// item itself brings none (imports without 952 $o / 852 $h, the demo).

function subfieldValues(field: MarcField, codes: string[]): string[] {
  return (field.subfields ?? []).filter((s) => codes.includes(s.code)).map((s) => s.value.trim()).filter((v) => v !== '');
}

/** The first three letters of the main entry (or of the title), the usual public-library cutter. */
function shelfLetters(fields: readonly MarcField[]): string {
  const entry = fields.find((f) => ['100', '110', '111', '245'].includes(f.tag) && f.subfields !== undefined);
  const text = entry?.subfields?.find((s) => s.code === 'a')?.value ?? '';
  const letters = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/^(the|a|an)\s+/iu, '')
    .replace(/[^A-Za-z]/gu, '');
  return letters.slice(0, 3).toUpperCase();
}

/**
 * Dewey (082/092, as most public libraries shelve; cut to three decimals) with the author's
 * letters, else the LC number (090/050 $a $b), else null for the caller to make one up.
 */
export function suggestCallNumber(fields: readonly MarcField[]): string | null {
  const letters = shelfLetters(fields);
  for (const tag of ['092', '082']) {
    const field = fields.find((f) => f.tag === tag && f.subfields !== undefined);
    const dewey = field ? /^\d{3}(\.\d{1,3})?/u.exec(subfieldValues(field, ['a'])[0]?.replace(/[/']/gu, '') ?? '')?.[0] : undefined;
    if (dewey) return letters ? `${dewey} ${letters}` : dewey;
  }
  for (const tag of ['090', '050']) {
    const field = fields.find((f) => f.tag === tag && f.subfields !== undefined);
    const lc = field ? subfieldValues(field, ['a', 'b']).slice(0, 2).join(' ') : '';
    if (lc) return lc;
  }
  return null;
}

const prefixOf: Record<string, string> = {
  book: 'FIC',
  serial: 'PER',
  score: 'SCORE',
  audiobook: 'CD BOOK',
  music: 'CD',
  video: 'DVD',
  map: 'MAP',
  'computer file': 'CD-ROM',
};

/** The holding library's own call number (852 $h $i) when the record brings one. */
function holdingsCallNumber(fields: readonly MarcField[]): string | null {
  for (const f of fields.filter((x) => x.tag === '852' && x.subfields !== undefined)) {
    const parts = subfieldValues(f, ['h', 'i']);
    if (parts.length > 0) return parts.join(' ');
  }
  return null;
}

/**
 * A call number for a copy that brings none: the holdings' own, else Dewey or LC from the
 * record, else a shelf by format (or by language for books in another language, 008/35-37)
 * with the first letters of the author or title — what a small library would write.
 */
export function shelfCallNumber(record: { fields: readonly MarcField[]; format: string; title: string; author: string | null }): string {
  const given = holdingsCallNumber(record.fields) ?? suggestCallNumber(record.fields);
  if (given) return given;
  const letters = (record.author ?? record.title).normalize('NFD').replace(/[^A-Za-z]/gu, '').slice(0, 3).toUpperCase();
  const language = record.fields.find((f) => f.tag === '008')?.value?.slice(35, 38) ?? '';
  const prefix = record.format === 'book' && /^[a-z]{3}$/u.test(language) && language !== 'eng' ? language.toUpperCase() : (prefixOf[record.format] ?? 'MISC');
  return letters ? `${prefix} ${letters}` : prefix;
}
