import { issnInText } from './issn';
import { dataFields, nameOf, trimIsbd, type MarcField } from './marc-fields';

// What the catalog search reads of a record beyond what it shows: other titles (uniform,
// varying, and the vernacular script of 880 fields — the Arabic of an ACO record), other names,
// notes, ISSNs and the system numbers other catalogs know it by (035).

export interface SearchFields {
  altTitles: string[];
  altAuthors: string[];
  /** Notes and contents (5XX), cut to a length worth indexing. */
  notes: string | null;
  issn: string[];
  /** 035 $a, e.g. "(OCoLC)61231154": how other catalogs name this record, for matching on import. */
  systemNumbers: string[];
}

const maxNotes = 4000;

/** The tag an 880 stands in for: its $6 starts with that tag ("245-02/(3/r"). */
function linkedTag(field: MarcField): string | null {
  const link = field.subfields?.find((s) => s.code === '6')?.value ?? '';
  return /^\d{3}/u.exec(link)?.[0] ?? null;
}

/** Data fields with these tags, and 880s standing in for them. */
function withVernacular(fields: readonly MarcField[], tags: readonly string[]): MarcField[] {
  return fields.filter((f) => f.subfields !== undefined && (tags.includes(f.tag) || (f.tag === '880' && tags.includes(linkedTag(f) ?? ''))));
}

function joined(field: MarcField, codes: readonly string[]): string {
  return trimIsbd(
    (field.subfields ?? [])
      .filter((s) => codes.includes(s.code))
      .map((s) => s.value.trim())
      .join(' '),
  );
}

function unique(values: string[], except: readonly (string | null)[] = []): string[] {
  const seen = new Set(except.filter((e): e is string => e !== null).map((e) => e.toLowerCase()));
  const out: string[] = [];
  for (const v of values) {
    const key = v.toLowerCase();
    if (v === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

function altTitlesOf(fields: readonly MarcField[], title: string | null): string[] {
  const titles = [
    ...withVernacular(fields, ['245']).filter((f) => f.tag === '880').map((f) => joined(f, ['a', 'b', 'n', 'p'])),
    ...withVernacular(fields, ['130', '240', '246', '730', '740']).map((f) => joined(f, ['a', 'b', 'n', 'p'])),
  ];
  return unique(titles, [title]).slice(0, 20);
}

function altAuthorsOf(fields: readonly MarcField[], author: string | null): string[] {
  const names = withVernacular(fields, ['100', '110', '111', '700', '710', '711'])
    .map((f) => (f.tag === '880' ? nameOf({ ...f, tag: linkedTag(f) ?? f.tag }) : nameOf(f)))
    .filter((n): n is string => n !== null);
  return unique(names, [author]).slice(0, 30);
}

function notesOf(fields: readonly MarcField[]): string | null {
  const text = dataFields(fields, ['500', '504', '505', '520', '521', '545', '590'])
    .map((f) => joined(f, ['a', 'g', 'r', 't']))
    .filter((t) => t !== '')
    .join(' ');
  return text === '' ? null : text.slice(0, maxNotes);
}

/**
 * An 035 $a as a key other catalogs know the record by: "(ORG)number", with OCLC numbers in
 * one spelling whether written "(OCoLC)ocm00123", "ocn123" or "(OCoLC)123"; null for a bare
 * number, which says nothing of whose number it is.
 */
export function normaliseSystemNumber(raw: string): string | null {
  const compact = raw.replace(/\s+/gu, '');
  const oclc = /^(?:\(OCoLC\))?(?:ocm|ocn|on)0*(\d+)$/iu.exec(compact) ?? /^\(OCoLC\)0*(\d+)$/iu.exec(compact);
  if (oclc) return `(OCoLC)${oclc[1]}`;
  return /^\([^()]+\)\S+$/u.test(compact) ? compact : null;
}

export function searchFieldsOf(fields: readonly MarcField[], shown: { title: string | null; author: string | null }): SearchFields {
  const issn = new Set<string>();
  for (const f of dataFields(fields, ['022'])) {
    for (const s of f.subfields ?? []) {
      const found = s.code === 'a' ? issnInText(s.value) : null;
      if (found) issn.add(found);
    }
  }
  const systemNumbers = new Set<string>();
  for (const f of dataFields(fields, ['035'])) {
    for (const s of f.subfields ?? []) {
      const n = s.code === 'a' ? normaliseSystemNumber(s.value) : null;
      if (n) systemNumbers.add(n);
    }
  }
  return {
    altTitles: altTitlesOf(fields, shown.title),
    altAuthors: altAuthorsOf(fields, shown.author),
    notes: notesOf(fields),
    issn: [...issn],
    systemNumbers: [...systemNumbers].slice(0, 20),
  };
}
