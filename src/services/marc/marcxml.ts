import { MarcRecord } from '@natlibfi/marc-record';
import { MARCXML } from '@natlibfi/marc-record-serializers';
import type { MarcField } from '../../domain/catalog/marc-fields';
import { invalid, ok, type Result } from '../../domain/refusal';
import type { RawRecord } from './iso2709';

// MARCXML in and out through @natlibfi/marc-record-serializers, which parses one <record> at a
// time: a <collection> is cut into its records here.

/** Real-world records carry empty subfields and control fields; they are data, not errors. */
const lenient = { fields: false, subfields: false, subfieldValues: false, controlFieldValues: false } as const;

// Any namespace prefix (marc:, slim:) or none; the closing tag has the same prefix.
const recordElement = /<(?:([A-Za-z_][\w.-]*):)?record(?=[\s>])[^>]*>[\s\S]*?<\/(?:\1:)?record\s*>/gu;

/** The <record> elements of a MARCXML document, as text, in order. */
export function splitMarcXml(xml: string): string[] {
  return xml.match(recordElement) ?? [];
}

function cleanText(value: string | undefined): string {
  return (value ?? '').normalize('NFC');
}

export async function fromMarcXml(recordXml: string): Promise<Result<RawRecord>> {
  let record: MarcRecord;
  try {
    record = await MARCXML.from(recordXml, lenient);
  } catch (err) {
    // The library reports a missing tag or code attribute as a TypeError of its own code.
    const reason = err instanceof TypeError ? 'a field or subfield lacks its tag or code' : String(err instanceof Error ? err.message : err).split('\n')[0].slice(0, 160);
    return invalid('marcxml', `This is not a readable MARCXML record (${reason}).`);
  }
  const fields = record.fields.map((f): MarcField => {
    if ('subfields' in f) {
      return { tag: f.tag, ind1: f.ind1 || ' ', ind2: f.ind2 || ' ', subfields: f.subfields.map((s) => ({ code: s.code, value: cleanText(s.value) })) };
    }
    return { tag: f.tag, value: cleanText(f.value) };
  });
  return ok({ leader: record.leader, fields });
}

// Characters XML 1.0 cannot carry (raw 0x1F in Koha's biblionumber 369, for one).
const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

function xmlSafe(value: string): string {
  return value.replace(notXml, '\uFFFD');
}

/** One record as a MARCXML <record> element (MARC21 slim namespace, no XML declaration). */
export function toMarcXml(raw: RawRecord): string {
  // Filled in directly: the constructor's schema validation costs milliseconds a record.
  const record = new MarcRecord();
  record.leader = xmlSafe(raw.leader);
  record.fields = raw.fields.map((f) =>
    f.subfields !== undefined
      ? {
          tag: xmlSafe(f.tag),
          ind1: xmlSafe(f.ind1 ?? ' '),
          ind2: xmlSafe(f.ind2 ?? ' '),
          subfields: f.subfields.map((s) => ({ code: xmlSafe(s.code), value: xmlSafe(s.value) })),
        }
      : { tag: xmlSafe(f.tag), value: xmlSafe(f.value ?? '') },
  );
  return MARCXML.to(record, { omitDeclaration: true });
}
