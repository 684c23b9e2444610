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
