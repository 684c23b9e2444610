import { sql, type Kysely } from 'kysely';
import type { StaffActor } from '../src/domain/actor';
import type { Database } from '../src/db/schema';
import { importMarc } from '../src/services/catalog-import/import-marc';
import { mergeSearchIndexes } from '../src/services/catalog-import/import-apply';
import { SettableClock } from '../src/services/clock';
import type { BenchCatalog } from './catalog-data';
import type { LoadStep } from './targeting-data';

// The consortium's catalog from real MARC records: the first `importCount` records of the bench
// catalog go through the real importer (its rate is one of the measurements, and their Koha 952
// copies become items of the consortium), then the catalog is filled up to `count` records by
// repeating those imported records in SQL with new ids — a new 001/003, in the columns and in
// the MARCXML — as the same records imported again would be, at a fraction of the time.

export interface ImportRate {
  records: number;
  items: number;
  errors: number;
  ms: number;
  recordsPerSecond: number;
  /** Where the real records came from (../shared/data, or the demo catalog without it). */
  source: string;
  /** How many distinct real records there are to repeat. */
  base: number;
}

export async function loadConsortiumRecords(db: Kysely<Database>, catalog: BenchCatalog, now: Date, count: number, importCount: number, step: LoadStep): Promise<ImportRate> {
  const admin = await db.selectFrom('staff').select(['id', 'username']).where('role', '=', 'consortium-admin').executeTakeFirstOrThrow();
  const actor: StaffActor = { kind: 'staff', staffId: admin.id, username: admin.username, role: 'consortium-admin', libraryId: null, libraryCode: '' };
  const rate: ImportRate = { records: 0, items: 0, errors: 0, ms: 0, recordsPerSecond: 0, source: catalog.source, base: catalog.base };
  const imported = Math.min(count, importCount);
  await step(`records: ${imported.toLocaleString('en-US')} imported (importMarc)`, async () => {
    const bytes = catalog.chunk(0, imported);
    const started = performance.now();
    const result = await importMarc({ db, clock: new SettableClock(now), actor }, bytes, { items: 'koha', source: 'bench' });
    rate.ms = performance.now() - started;
    if (!result.ok) throw new Error(result.refusal.message);
    if (result.value.imported !== imported) throw new Error(`the importer created ${result.value.imported} of ${imported} records: ${JSON.stringify(result.value.errors.slice(0, 3))}`);
    Object.assign(rate, { records: result.value.records, items: result.value.items, errors: result.value.errorCount, recordsPerSecond: result.value.records / (rate.ms / 1000) });
    return result.value.imported;
  });
  if (count <= imported) return rate;

  // Copy n repeats imported record n mod m, as the bench catalog's position n repeats its real
  // record n mod base. The search columns are what the trigger would compute from the very same
  // text, so they are copied with the trigger off (it is most of an insert's cost).
  const sources = Math.min(imported, catalog.base);
  await step(`records: repeated in SQL to ${count.toLocaleString('en-US')}`, () =>
    db.transaction().execute(async (trx) => {
      await sql`SET LOCAL gin_pending_list_limit = '64MB'`.execute(trx);
      await sql`ALTER TABLE records DISABLE TRIGGER records_search`.execute(trx);
      const copied = await sql`
        INSERT INTO records (title, author, isbn, publisher, year, publication, subjects, format, marc, control_number, control_source,
          alt_titles, alt_authors, notes, issn, system_numbers, created_at, updated_at, search, title_key, author_key)
        SELECT s.title, s.author, s.isbn, s.publisher, s.year, s.publication, s.subjects, s.format,
          replace(replace(s.marc,
            '<controlfield tag="001">' || s.control_number || '</controlfield>', '<controlfield tag="001">bench-' || g || '</controlfield>'),
            '<controlfield tag="003">' || s.control_source || '</controlfield>', '<controlfield tag="003">R' || g / ${sources}::int || '</controlfield>'),
          'bench-' || g, 'R' || g / ${sources}::int, s.alt_titles, s.alt_authors, s.notes, s.issn, s.system_numbers, ${now}::timestamptz, ${now}::timestamptz,
          s.search, s.title_key, s.author_key
        FROM generate_series(${imported}::int, ${count - 1}::int) g
        JOIN records s ON s.control_number = 'bench-' || g % ${sources}::int
        ORDER BY g`.execute(trx);
      await sql`ALTER TABLE records ENABLE TRIGGER records_search`.execute(trx);
      return Number(copied.numAffectedRows ?? 0);
    }),
  );
  await mergeSearchIndexes(db);
  return rate;
}
