import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { gunzipSync } from 'node:zlib';
import { anonymous } from '../domain/actor';
import { shelfCallNumber } from '../domain/catalog/call-number';
import type { ImportRules } from '../domain/catalog/import-plan';
import type { MarcField } from '../domain/catalog/marc-fields';
import type { Random } from '../domain/seeded-random';
import type { Tx } from '../services/context';
import { candidateOf } from '../services/catalog-import/import-candidates';
import { mergeSearchIndexes } from '../services/catalog-import/import-apply';
import { importBatch } from '../services/catalog-import/import-marc';
import { readMarcFile, type ParsedMarcRecord } from '../services/marc/read-marc';
import type { LocationName, SeededLibrary } from './demo-seed-libraries';

// The demo catalog: the records of demo/records.mrc.gz (see demo/README.md), each held by one
// to four member libraries, with barcodes, call numbers and shelves a library would have. The
// copies are written as Koha 952 fields and go through the MARC importer, as a real
// consortium's first load would.

export const demoRecordsFile = new URL('../../demo/records.mrc.gz', import.meta.url);

export async function readDemoRecords(file: URL = demoRecordsFile): Promise<ParsedMarcRecord[]> {
  const records: ParsedMarcRecord[] = [];
  for (const r of readMarcFile(gunzipSync(await readFile(file)), 'iso2709')) {
    // The file is made by scripts/make-demo-records.ts from records that all read; a refusal
    // here means the file was damaged.
    if (!r.ok) throw new Error(`demo/records.mrc.gz: ${r.refusal.message}`);
    records.push(r.value);
  }
  return records;
}

function dayBefore(now: Date, days: number): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

export interface CatalogCounts {
  records: number;
  volumes: number;
  items: number;
}

function subfields(pairs: [string, string | null][]): MarcField {
  return { tag: '952', ind1: ' ', ind2: ' ', subfields: pairs.filter((p): p is [string, string] => p[1] !== null).map(([code, value]) => ({ code, value })) };
}

/** Made-up copies of one record as Koha would export them, and the age protection of each. */
function demoCopies(record: ParsedMarcRecord, libraries: SeededLibrary[], random: Random, now: Date, nextBarcode: Map<number, number>): { fields: MarcField[]; protection: Map<string, string> } {
  const fields: MarcField[] = [];
  const protection = new Map<string, string>();
  const copies = 1 + random.weighted([45, 30, 17, 8]);
  const callNumber = shelfCallNumber(record);
  const weights = libraries.map((l) => l.weight);
  let previous: SeededLibrary | undefined;
  for (let c = 0; c < copies; c++) {
    // Mostly one copy per library; now and then a second copy of a popular title at the same one.
    const library = previous && c > 0 && random.chance(0.1) ? previous : libraries[random.weighted(weights)];
    previous = library;
    const seq = (nextBarcode.get(library.digit) ?? 0) + 1;
    nextBarcode.set(library.digit, seq);
    const barcode = `3${library.digit}${String(seq).padStart(6, '0')}`;
    const age = Math.floor(random.next() * 730);
    const location: LocationName = age < 90 && random.chance(0.7) ? 'New Books' : random.chance(0.04) ? 'Reference' : 'Stacks';
    // New items are the ones a library protects for its own patrons first (DESIGN §4).
    if (age < 180 && random.chance(0.2)) protection.set(barcode, age < 30 ? '1m' : age < 90 ? '3m' : '6m');
    const roll = random.next();
    fields.push(
      subfields([
        ['a', library.code],
        ['c', location],
        ['d', dayBefore(now, age)],
        ['o', callNumber],
        ['p', barcode],
        // Koha's flags: lost 4 is "missing", damaged, and "not for loan" for the reference shelf
        ['1', roll < 0.01 ? '4' : null],
        ['4', roll >= 0.01 && roll < 0.015 ? '1' : null],
        ['7', location === 'Reference' ? '1' : null],
      ]),
    );
  }
  return { fields, protection };
}

export async function seedCatalog(trx: Tx, libraries: SeededLibrary[], records: ParsedMarcRecord[], random: Random, now: Date): Promise<CatalogCounts> {
  const rules: ImportRules = { libraries: new Map(libraries.map((l) => [l.code.toUpperCase(), { id: l.id, code: l.code, kind: 'library' }])), fallbackLibrary: null, onlyLibrary: null };
  const context = { clock: { now: () => now }, actor: anonymous, timezones: new Map(libraries.map((l) => [l.id, 'America/New_York'])), libraryId: null, source: 'demo' };
  const nextBarcode = new Map<number, number>();
  const protection = new Map<string, string>();
  const candidates = records.map((record) => {
    const copies = demoCopies(record, libraries, random, now, nextBarcode);
    for (const [barcode, months] of copies.protection) protection.set(barcode, months);
    return candidateOf(record, 'koha', copies.fields);
  });
  let items = 0;
  for (let i = 0; i < records.length; i += 500) {
    const done = await importBatch(trx, context, records.slice(i, i + 500), candidates.slice(i, i + 500), rules);
    if (done.errors.length > 0 || done.deferred.length > 0) throw new Error(`demo catalog: ${done.errors[0]?.message ?? 'a record repeats'}`);
    items += done.items;
  }
  await sql`UPDATE items SET age_protection = v.months FROM jsonb_to_recordset(${JSON.stringify([...protection].map(([barcode, months]) => ({ barcode, months })))}::jsonb) AS v(barcode text, months text)
    WHERE items.barcode = v.barcode`.execute(trx);
  const volumes = await trx.selectFrom('volumes').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  await mergeSearchIndexes(trx);
  return { records: records.length, volumes: volumes.n, items };
}
