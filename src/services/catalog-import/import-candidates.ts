import { createHash } from 'node:crypto';
import { shelfCallNumber } from '../../domain/catalog/call-number';
import type { ImportCandidate } from '../../domain/catalog/import-plan';
import { embeddedItems, type ItemProfile } from '../../domain/catalog/item-profiles';
import type { MarcField } from '../../domain/catalog/marc-fields';
import type { ParsedMarcRecord } from '../marc/read-marc';

// A read MARC record as the import plan sees it, and as the records table stores it.

export function marcDigest(marcxml: string): string {
  return createHash('md5').update(marcxml, 'utf8').digest('hex');
}

/** `itemFields` replaces the record's own item fields (the demo gives its records made-up copies). */
export function candidateOf(record: ParsedMarcRecord, profile: ItemProfile | null, itemFields?: MarcField[]): ImportCandidate {
  const items = profile === null ? [] : embeddedItems(itemFields ?? record.itemFields, profile);
  return {
    position: record.position,
    identity: {
      controlNumber: record.controlNumber,
      controlSource: record.controlSource,
      systemNumbers: record.systemNumbers,
      barcodes: items.map((i) => i.barcode).filter((b): b is string => b !== null),
      digest: marcDigest(record.marcxml),
    },
    items,
    suggestedCallNumber: shelfCallNumber(record),
  };
}

/** The columns of the records table that an import writes. */
export function recordColumns(record: ParsedMarcRecord) {
  return {
    title: record.title,
    author: record.author,
    isbn: record.isbn,
    publisher: record.publisher,
    year: record.year,
    publication: record.publication,
    subjects: record.subjects,
    format: record.format,
    marc: record.marcxml,
    control_number: record.controlNumber,
    control_source: record.controlSource,
    alt_titles: record.altTitles,
    alt_authors: record.altAuthors,
    notes: record.notes,
    issn: record.issn,
    system_numbers: record.systemNumbers,
  };
}
