import { summariseMarc, type BibliographicFields, type MarcField } from '../../domain/catalog/marc-fields';
import { searchFieldsOf, type SearchFields } from '../../domain/catalog/search-fields';
import { invalid, ok, type Result } from '../../domain/refusal';
import { decodeIso2709, splitIso2709, type RawRecord } from './iso2709';
import { fromMarcXml, splitMarcXml, toMarcXml } from './marcxml';

/** A record as the catalog stores it; `marcxml` is the record alone, as a MARCXML <record>. */
export interface ParsedMarc extends BibliographicFields, SearchFields {
  controlNumber: string | null;
  controlSource: string | null;
  marcxml: string;
}

/** Fields that describe items in the usual exports: Koha 952, holdings 852, Evergreen/Unicorn 949. */
export const itemTags = ['952', '852', '949'] as const;

export interface ParsedMarcRecord extends ParsedMarc {
  /** 1-based place of the record in its file, for error lists. */
  position: number;
  leader: string;
  fields: MarcField[];
  /** The item fields (952, 852, 949) as they came, for the importer to map. */
  itemFields: MarcField[];
  /** What was read with a loss (bytes replaced), for the import report. */
  warnings: string[];
}

export type MarcFileKind = 'iso2709' | 'marcxml';

/** Leader/06: authority and holdings records describe no title of the catalog. */
function notBibliographic(leader: string): string | null {
  const type = leader.charAt(6);
  if (type === 'z') return 'an authority record';
  if (['u', 'v', 'x', 'y'].includes(type)) return 'a holdings record';
  if (type === 'q') return 'a community information record';
  return null;
}

function toParsed(raw: RawRecord, field: string, warnings: string[] = []): Result<Omit<ParsedMarcRecord, 'position'>> {
  const summary = summariseMarc(raw.leader, raw.fields);
  const which = summary.controlNumber ? `Record ${summary.controlNumber}` : 'The record';
  const kind = notBibliographic(raw.leader);
  if (kind) return invalid(field, `${which} is ${kind} (leader/06 "${raw.leader.charAt(6)}"), not a bibliographic record: only titles are imported.`);
  if (summary.title === null) return invalid(field, `${which} has no title (245 $a): a record needs one.`);
  return ok({
    ...summary,
    ...searchFieldsOf(raw.fields, summary),
    title: summary.title,
    marcxml: toMarcXml(raw),
    leader: raw.leader,
    fields: raw.fields,
    itemFields: raw.fields.filter((f) => f.subfields !== undefined && (itemTags as readonly string[]).includes(f.tag)),
    warnings,
  });
}

/** One MARCXML record (or a collection holding exactly one), as a cataloger submits it. */
export function parseMarcXml(xml: string): Result<ParsedMarc> {
  const records = splitMarcXml(xml);
  if (records.length === 0) return invalid('marcxml', 'No MARC record found: expected a MARCXML <record> element.');
  if (records.length > 1) return invalid('marcxml', `Expected one record but found ${records.length}: import a file of many records instead.`);
  const raw = fromMarcXml(records[0]);
  if (!raw.ok) return raw;
  const parsed = toParsed(raw.value, 'marcxml');
  if (!parsed.ok) return parsed;
  const { leader: _leader, fields: _fields, itemFields: _items, warnings: _warnings, ...record } = parsed.value;
  return ok(record);
}

function withPosition(result: Result<Omit<ParsedMarcRecord, 'position'>>, position: number): Result<ParsedMarcRecord> {
  if (result.ok) return ok({ ...result.value, position });
  return { ok: false, refusal: { ...result.refusal, details: { ...result.refusal.details, position } } };
}

/** The pieces of a file, one per record, in order; reading them comes later, one at a time. */
export function splitMarcFile(bytes: Uint8Array, kind: MarcFileKind): (Uint8Array | string)[] {
  return kind === 'iso2709' ? splitIso2709(bytes) : splitMarcXml(new TextDecoder('utf-8').decode(bytes));
}

/** One piece of `splitMarcFile`, read or refused on its own (the refusal's details say which). */
export function readMarcRecord(piece: Uint8Array | string, position: number): Result<ParsedMarcRecord> {
  if (typeof piece === 'string') {
    const raw = fromMarcXml(piece);
    return withPosition(raw.ok ? toParsed(raw.value, 'marcxml') : raw, position);
  }
  const raw = decodeIso2709(piece);
  return withPosition(raw.ok ? toParsed(raw.value, 'marc', raw.value.warnings) : raw, position);
}

/**
 * The records of an ISO 2709 or MARCXML file, one by one, each read or refused on its own (the
 * refusal's `details.position` says which), so one bad record never stops an import.
 */
export function* readMarcFile(bytes: Uint8Array, kind: MarcFileKind): Generator<Result<ParsedMarcRecord>> {
  const pieces = splitMarcFile(bytes, kind);
  if (pieces.length === 0) {
    yield withPosition(invalid(kind === 'iso2709' ? 'marc' : 'marcxml', kind === 'iso2709' ? 'The file holds no MARC records.' : 'No MARC record found: expected MARCXML <record> elements.'), 0);
  }
  for (const [i, piece] of pieces.entries()) yield readMarcRecord(piece, i + 1);
}
