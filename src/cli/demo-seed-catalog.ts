import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { suggestCallNumber } from '../domain/catalog/call-number';
import type { MarcField } from '../domain/catalog/marc-fields';
import type { Tx } from '../services/context';
import { readMarcFile, type ParsedMarcRecord } from '../services/marc/read-marc';
import { allocateIds, type LocationName, type SeededLibrary } from './demo-seed-libraries';
import type { Random } from '../domain/seeded-random';

// The demo catalog: the records of demo/records.mrc.gz (see demo/README.md), each held by one
// to four member libraries, with barcodes, call numbers and shelves a library would have.

export const demoRecordsFile = new URL('../../demo/records.mrc.gz', import.meta.url);

export async function readDemoRecords(file: URL = demoRecordsFile): Promise<ParsedMarcRecord[]> {
  const records: ParsedMarcRecord[] = [];
  for await (const r of readMarcFile(gunzipSync(await readFile(file)), 'iso2709')) {
    // The file is made by scripts/make-demo-records.ts from records that all read; a refusal
    // here means the file was damaged.
    if (!r.ok) throw new Error(`demo/records.mrc.gz: ${r.refusal.message}`);
    records.push(r.value);
  }
  return records;
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
function holdingsCallNumber(itemFields: MarcField[]): string | null {
  for (const f of itemFields.filter((x) => x.tag === '852')) {
    const parts = (f.subfields ?? []).filter((s) => s.code === 'h' || s.code === 'i').map((s) => s.value.trim());
    if (parts.length > 0 && parts.join('') !== '') return parts.join(' ');
  }
  return null;
}

function callNumberOf(record: ParsedMarcRecord, position: number): string {
  const given = holdingsCallNumber(record.itemFields) ?? suggestCallNumber(record.fields);
  if (given) return given;
  const letters = (record.author ?? record.title).normalize('NFD').replace(/[^A-Za-z]/gu, '').slice(0, 3).toUpperCase();
  // Without a class number, a book in another language goes to that language's shelf (008/35-37).
  const language = record.fields.find((f) => f.tag === '008')?.value?.slice(35, 38) ?? '';
  const prefix = record.format === 'book' && /^[a-z]{3}$/u.test(language) && language !== 'eng' ? language.toUpperCase() : (prefixOf[record.format] ?? 'MISC');
  return `${prefix} ${letters || String(position)}`;
}

function dayBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export interface CatalogCounts {
  records: number;
  volumes: number;
  items: number;
}

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

export async function seedCatalog(trx: Tx, libraries: SeededLibrary[], records: ParsedMarcRecord[], random: Random, now: Date): Promise<CatalogCounts> {
  const recordIds = await allocateIds(trx, 'records', records.length);
  for (const chunk of chunks(records.map((r, i) => ({ r, id: recordIds[i] })), 250)) {
    await trx
      .insertInto('records')
      .values(
        chunk.map(({ r, id }) => ({
          id,
          title: r.title,
          author: r.author,
          isbn: r.isbn,
          publisher: r.publisher,
          year: r.year,
          subjects: r.subjects,
          format: r.format,
          marc: r.marcxml,
          control_number: r.controlNumber,
          control_source: r.controlSource,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }

  const volumes = new Map<string, { id: number; record_id: number; library_id: number; call_number: string }>();
  const items: { volumeKey: string; library: SeededLibrary; recordId: number }[] = [];
  const weights = libraries.map((l) => l.weight);
  for (const [i, record] of records.entries()) {
    const copies = 1 + random.weighted([45, 30, 17, 8]);
    const callNumber = callNumberOf(record, i + 1);
    for (let c = 0; c < copies; c++) {
      // Mostly one copy per library; now and then a second copy of a popular title at the same one.
      const previous = items.length > 0 && c > 0 ? items[items.length - 1].library : undefined;
      const library = previous && random.chance(0.1) ? previous : libraries[random.weighted(weights)];
      const key = `${recordIds[i]}|${library.id}|${callNumber}`;
      if (!volumes.has(key)) volumes.set(key, { id: 0, record_id: recordIds[i], library_id: library.id, call_number: callNumber });
      items.push({ volumeKey: key, library, recordId: recordIds[i] });
    }
  }
  const volumeIds = await allocateIds(trx, 'volumes', volumes.size);
  [...volumes.values()].forEach((v, i) => (v.id = volumeIds[i]));
  for (const chunk of chunks([...volumes.values()], 1000)) await trx.insertInto('volumes').values(chunk).execute();

  const nextBarcode = new Map<number, number>();
  const itemRows = items.map(({ volumeKey, library, recordId }) => {
    const seq = (nextBarcode.get(library.digit) ?? 0) + 1;
    nextBarcode.set(library.digit, seq);
    const age = Math.floor(random.next() * 730);
    const location: LocationName = age < 90 && random.chance(0.7) ? 'New Books' : random.chance(0.04) ? 'Reference' : 'Stacks';
    // New items are the ones a library protects for its own patrons first (DESIGN §4).
    const protection = age < 180 && random.chance(0.2) ? (age < 30 ? '1m' : age < 90 ? '3m' : '6m') : 'none';
    const roll = random.next();
    return {
      barcode: `3${library.digit}${String(seq).padStart(6, '0')}`,
      volume_id: volumes.get(volumeKey)!.id,
      record_id: recordId,
      owning_library_id: library.id,
      current_library_id: library.id,
      location_id: library.locations[location],
      circulates: location !== 'Reference',
      status: roll < 0.01 ? 'missing' : roll < 0.015 ? 'damaged' : 'available',
      cataloged_at: dayBefore(now, age),
      age_protection: protection,
    };
  });
  for (const chunk of chunks(itemRows, 1000)) await trx.insertInto('items').values(chunk).execute();
  return { records: records.length, volumes: volumes.size, items: itemRows.length };
}
