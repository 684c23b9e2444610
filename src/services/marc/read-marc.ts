import { summariseMarc, type BibliographicFields, type MarcField } from '../../domain/catalog/marc-fields';
import { invalid, ok, type Result } from '../../domain/refusal';
import { decodeIso2709, splitIso2709, type RawRecord } from './iso2709';
import { fromMarcXml, splitMarcXml, toMarcXml } from './marcxml';

/** A record as the catalog stores it; `marcxml` is the record alone, as a MARCXML <record>. */
export interface ParsedMarc extends BibliographicFields {
  controlNumber: string | null;
  controlSource: string | null;
  marcxml: string;
}

/** Fields that describe items in the usual exports: Koha 952, holdings 852 (Evergreen), local 949. */
export const itemTags = ['952', '852', '949'] as const;

export interface ParsedMarcRecord extends ParsedMarc {
  /** 1-based place of the record in its file, for error lists. */
  position: number;
  leader: string;
  fields: MarcField[];
  /** The item fields (952, 852, 949) as they came, for the importer to map. */
  itemFields: MarcField[];
}

export type MarcFileKind = 'iso2709' | 'marcxml';

function toParsed(raw: RawRecord, field: string): Result<Omit<ParsedMarcRecord, 'position'>> {
  const summary = summariseMarc(raw.leader, raw.fields);
  if (summary.title === null) {
    const which = summary.controlNumber ? `Record ${summary.controlNumber}` : 'The record';
    return invalid(field, `${which} has no title (245 $a): a record needs one.`);
  }
  return ok({
    ...summary,
    title: summary.title,
    marcxml: toMarcXml(raw),
    leader: raw.leader,
    fields: raw.fields,
    itemFields: raw.fields.filter((f) => f.subfields !== undefined && (itemTags as readonly string[]).includes(f.tag)),
  });
}

/** One MARCXML record (or a collection holding exactly one), as a cataloger submits it. */
export async function parseMarcXml(xml: string): Promise<Result<ParsedMarc>> {
  const records = splitMarcXml(xml);
  if (records.length === 0) return invalid('marcxml', 'No MARC record found: expected a MARCXML <record> element.');
  if (records.length > 1) return invalid('marcxml', `Expected one record but found ${records.length}: import a file of many records instead.`);
  const raw = await fromMarcXml(records[0]);
  if (!raw.ok) return raw;
  const parsed = toParsed(raw.value, 'marcxml');
  if (!parsed.ok) return parsed;
  const { leader: _leader, fields: _fields, itemFields: _items, ...record } = parsed.value;
  return ok(record);
}

function withPosition(result: Result<Omit<ParsedMarcRecord, 'position'>>, position: number): Result<ParsedMarcRecord> {
  if (result.ok) return ok({ ...result.value, position });
  return { ok: false, refusal: { ...result.refusal, details: { ...result.refusal.details, position } } };
}

/**
 * The records of an ISO 2709 or MARCXML file, one by one, each read or refused on its own (the
 * refusal's `details.position` says which), so one bad record never stops an import.
 */
export async function* readMarcFile(bytes: Uint8Array, kind: MarcFileKind): AsyncGenerator<Result<ParsedMarcRecord>> {
  if (kind === 'iso2709') {
    const records = splitIso2709(bytes);
    if (records.length === 0) yield withPosition(invalid('marc', 'The file holds no MARC records.'), 0);
    for (const [i, record] of records.entries()) {
      const raw = decodeIso2709(record);
      yield withPosition(raw.ok ? toParsed(raw.value, 'marc') : raw, i + 1);
    }
    return;
  }
  const xml = new TextDecoder('utf-8').decode(bytes);
  const records = splitMarcXml(xml);
  if (records.length === 0) yield withPosition(invalid('marcxml', 'No MARC record found: expected MARCXML <record> elements.'), 0);
  for (const [i, record] of records.entries()) {
    const raw = await fromMarcXml(record);
    yield withPosition(raw.ok ? toParsed(raw.value, 'marcxml') : raw, i + 1);
  }
}
