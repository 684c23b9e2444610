// What the catalog shows of a record, derived from its MARC fields. Plain fields in, plain
// values out: the readers (ISO 2709, MARCXML) live in services/marc.

import { normaliseIsbn } from '../isbn';

export interface MarcSubfield {
  code: string;
  value: string;
}

/** A control field has `value`; a data field has indicators and `subfields`. */
export interface MarcField {
  tag: string;
  ind1?: string;
  ind2?: string;
  value?: string;
  subfields?: MarcSubfield[];
}

export type RecordFormat = 'book' | 'serial' | 'score' | 'audiobook' | 'music' | 'video' | 'map' | 'computer file' | 'other';

/** What the catalog shows of every record, however it was cataloged. */
export interface BibliographicFields {
  title: string;
  author: string | null;
  isbn: string[];
  publisher: string | null;
  year: number | null;
  /** Place, publisher and date as the record gives them ("New York : Viking, 2013"). */
  publication: string | null;
  subjects: string[];
  format: string;
}

export interface RecordSummary extends Omit<BibliographicFields, 'title' | 'format'> {
  /** null when the record has no usable 245: the caller refuses such a record. */
  title: string | null;
  format: RecordFormat;
  controlNumber: string | null;
  controlSource: string | null;
}

export function summariseMarc(leader: string, fields: readonly MarcField[]): RecordSummary {
  return {
    title: titleOf(fields),
    author: authorOf(fields),
    isbn: isbnsOf(fields),
    publisher: publisherOf(fields),
    year: yearOf(fields),
    publication: publicationOf(fields),
    subjects: subjectsOf(fields),
    format: formatOf(leader),
    controlNumber: controlValue(fields, '001'),
    controlSource: controlValue(fields, '003'),
  };
}

const isbdTail = /[\s/:;,=]+$/u;

/**
 * Removes the ISBD punctuation that separates a subfield from the next one (" /", " :", " ;",
 * ",", "=") and a final period, but keeps the period of an initial ("Smith, J.") or an
 * ellipsis, which belong to the name or title.
 */
export function trimIsbd(text: string): string {
  let s = text.normalize('NFC').trim();
  for (;;) {
    const before = s;
    s = s.replace(isbdTail, '');
    if (s.endsWith('.') && !s.endsWith('...') && !/(^|[\s.,])\p{Lu}\.$/u.test(s)) s = s.slice(0, -1);
    s = s.trim();
    if (s === before) return s;
  }
}

export function dataFields(fields: readonly MarcField[], tags: readonly string[]): MarcField[] {
  return fields.filter((f) => f.subfields !== undefined && tags.includes(f.tag));
}

function firstSubfield(field: MarcField, code: string): string | null {
  const value = field.subfields?.find((s) => s.code === code)?.value;
  return value === undefined || value.trim() === '' ? null : value;
}

function controlValue(fields: readonly MarcField[], tag: string): string | null {
  const value = fields.find((f) => f.tag === tag && f.value !== undefined)?.value?.trim();
  return value ? value.normalize('NFC') : null;
}

const titleCodes = ['a', 'b', 'n', 'p'];

/** 245 $a $b $n $p in their order. A skipped subfield ($h medium, $c statement) hands on its
 *  separating punctuation, so "Title $h[video] : $b sub" still reads "Title : sub". */
function titleOf(fields: readonly MarcField[]): string | null {
  const field = dataFields(fields, ['245'])[0];
  if (!field) return null;
  const parts: string[] = [];
  for (const sub of field.subfields ?? []) {
    const value = sub.value.trim();
    if (value === '') continue;
    if (titleCodes.includes(sub.code)) {
      parts.push(value);
    } else if (parts.length > 0) {
      const separator = /\s([:;=/])$/u.exec(value)?.[1];
      const last = parts[parts.length - 1];
      if (separator && !/[:;=/]$/u.test(last)) parts[parts.length - 1] = `${last} ${separator}`;
    }
  }
  const title = trimIsbd(parts.join(' '));
  return title === '' ? null : title;
}

export function nameOf(field: MarcField): string | null {
  const a = firstSubfield(field, 'a');
  if (!a) return null;
  // A corporate name is only meaningful with its subordinate units ("United States. Congress.").
  const units = field.tag.endsWith('10') ? (field.subfields ?? []).filter((s) => s.code === 'b').map((s) => s.value.trim()) : [];
  const name = trimIsbd([a.trim(), ...units].join(' '));
  return name === '' ? null : name;
}

function authorOf(fields: readonly MarcField[]): string | null {
  for (const tags of [['100', '110', '111'], ['700', '710', '711']]) {
    for (const field of dataFields(fields, tags)) {
      const name = nameOf(field);
      if (name) return name;
    }
  }
  return null;
}

/** The ISBN in a 020 $a, digits and X only; qualifiers like "(pbk.)" dropped. */
export function isbnInText(text: string): string | null {
  const token = /[0-9][0-9Xx-]{8,}/u.exec(text)?.[0];
  if (!token) return null;
  const isbn = normaliseIsbn(token);
  if (/^\d{9}[\dX]$/u.test(isbn) || /^\d{13}$/u.test(isbn)) return isbn;
  return null;
}

function isbnsOf(fields: readonly MarcField[]): string[] {
  const found = new Set<string>();
  for (const field of dataFields(fields, ['020'])) {
    for (const sub of field.subfields ?? []) {
      const isbn = sub.code === 'a' ? isbnInText(sub.value) : null;
      if (isbn) found.add(isbn);
    }
  }
  return [...found];
}

/** 264 with second indicator 1 (publication) first, then 260. */
function publicationFields(fields: readonly MarcField[]): MarcField[] {
  return [...dataFields(fields, ['264']).filter((f) => f.ind2 === '1'), ...dataFields(fields, ['260'])];
}

function publisherOf(fields: readonly MarcField[]): string | null {
  for (const field of publicationFields(fields)) {
    const b = firstSubfield(field, 'b');
    const name = b ? trimIsbd(b) : '';
    if (name !== '') return name;
  }
  return null;
}

/** 264/260 $a $b $c as one line, ISBD punctuation kept between the parts but not at the end. */
function publicationOf(fields: readonly MarcField[]): string | null {
  for (const field of publicationFields(fields)) {
    const parts = (field.subfields ?? []).filter((s) => ['a', 'b', 'c'].includes(s.code)).map((s) => s.value.trim()).filter((v) => v !== '');
    const line = trimIsbd(parts.join(' '));
    if (line !== '') return line;
  }
  return null;
}

function yearOf(fields: readonly MarcField[]): number | null {
  const fixed = fields.find((f) => f.tag === '008' && f.value !== undefined)?.value ?? '';
  const date1 = fixed.slice(7, 11);
  if (/^\d{4}$/u.test(date1) && date1 !== '0000') return Number(date1);
  // A copyright date (264 second indicator 4) stands in when no publication date is given.
  const copyright = dataFields(fields, ['264']).filter((f) => f.ind2 === '4');
  for (const field of [...publicationFields(fields), ...copyright]) {
    const c = firstSubfield(field, 'c');
    const year = c ? /(?<!\d)(\d{4})(?!\d)/u.exec(c)?.[1] : undefined;
    if (year) return Number(year);
  }
  return null;
}

const subjectTags = ['600', '610', '611', '630', '650', '651'];
const subdivisionCodes = ['x', 'y', 'z', 'v'];

function subjectsOf(fields: readonly MarcField[]): string[] {
  const seen = new Map<string, string>();
  for (const field of dataFields(fields, subjectTags)) {
    const a = firstSubfield(field, 'a');
    if (!a) continue;
    const subdivisions = (field.subfields ?? []).filter((s) => subdivisionCodes.includes(s.code)).map((s) => s.value);
    const heading = [a, ...subdivisions].map(trimIsbd).filter((p) => p !== '').join(' -- ');
    const key = heading.toLowerCase();
    if (heading !== '' && !seen.has(key)) seen.set(key, heading);
  }
  return [...seen.values()];
}

/** From leader/06 (type of record) and leader/07 (bibliographic level). */
export function formatOf(leader: string): RecordFormat {
  const type = leader.charAt(6);
  const level = leader.charAt(7);
  switch (type) {
    case 'a':
    case 't':
      return ['s', 'b', 'i'].includes(level) ? 'serial' : 'book';
    case 'c':
    case 'd':
      return 'score';
    case 'i':
      return 'audiobook';
    case 'j':
      return 'music';
    case 'g':
      return 'video';
    case 'e':
    case 'f':
      return 'map';
    case 'm':
      return 'computer file';
    default:
      return 'other';
  }
}
