import { sql } from 'kysely';
import type { StaffActor } from '../src/domain/actor';
import { anonymous } from '../src/domain/actor';
import { importMarc } from '../src/services/catalog-import/import-marc';
import { SettableClock } from '../src/services/clock';
import { searchRecords } from '../src/services/record-search';
import { openBenchDatabase, type BenchDatabase } from './bench-database';
import { benchCatalog, benchLibraries } from './catalog-data';
import { searchMix, timeSearches } from './search-mix';

// `npm run bench:catalog` — the catalog at consortium size: import BENCH_RECORDS records (default
// 200,000: the real records of ../shared/data repeated with rewritten 001/003, 1–3 Koha items
// each at 20 libraries) through the importer, BENCH_CHUNK records a file, then BENCH_SEARCHES
// searches of every kind (words, a name, a subject, typos, ISBN, barcode, Arabic script, with
// and without a library's availability), and print records/s and search p50/p95.
// On a fresh PostgreSQL database (BENCH_DATABASE_URL, the server's admin connection; created
// and dropped by the run); --embedded (or BENCH_DB=embedded) on an in-memory embedded one.
// --quick: 20,000 records and 200 searches, for a first try.

const embedded = process.argv.includes('--embedded') || process.env.BENCH_DB === 'embedded';
const quick = process.argv.includes('--quick');

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not ${raw}`);
  return n;
}

const records = envInt('BENCH_RECORDS', quick ? 20_000 : 200_000);
const searches = envInt('BENCH_SEARCHES', quick ? 200 : 1_000);
const chunkSize = envInt('BENCH_CHUNK', 20_000);

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const log = (line: string): void => void process.stdout.write(`${line}\n`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  let bench: BenchDatabase | undefined;
  process.once('SIGINT', () => void (bench?.dispose() ?? Promise.resolve()).finally(() => process.exit(130)));
  try {
    const now = new Date('2025-03-03T15:00:00Z');
    bench = await openBenchDatabase(embedded ? 'embedded' : 'postgres', 4, now);
    const db = bench.connection.db;
    log(`Tamarack catalog benchmark — ${embedded ? 'embedded PGlite' : 'PostgreSQL'} (${bench.name})`);
    await db.insertInto('libraries').values(benchLibraries.map((code) => ({ code, name: `Library ${code}`, opening_hours: '{}' }))).execute();
    const admin = await db.selectFrom('staff').select(['id', 'username']).where('role', '=', 'consortium-admin').executeTakeFirstOrThrow();
    const actor: StaffActor = { kind: 'staff', staffId: admin.id, username: admin.username, role: 'consortium-admin', libraryId: null, libraryCode: '' };
    const clock = new SettableClock(now);
    const catalog = benchCatalog({ seed: 20250303 });
    log(`${fmt(records)} records (${fmt(catalog.base)} real records from ${catalog.source}, repeated), ${fmt(chunkSize)} a file; ${fmt(searches)} searches\n`);

    // ---- import
    let importMs = 0;
    const totals = { records: 0, imported: 0, items: 0, errors: 0 };
    for (let from = 0; from < records; from += chunkSize) {
      const bytes = catalog.chunk(from, Math.min(records, from + chunkSize));
      const started = performance.now();
      const result = await importMarc({ db, clock, actor }, bytes, { items: 'koha', source: `bench ${from}` });
      importMs += performance.now() - started;
      if (!result.ok) throw new Error(result.refusal.message);
      totals.records += result.value.records;
      totals.imported += result.value.imported;
      totals.items += result.value.items;
      totals.errors += result.value.errorCount;
      process.stderr.write(`  … ${fmt(totals.records)} records imported, ${fmt(totals.records / (importMs / 1000))}/s\n`);
    }
    await sql`ANALYZE`.execute(db);
    if (!embedded) await sql`VACUUM ANALYZE records, items`.execute(db);

    // ---- search
    const samples = await searchMix(db, records, searches);
    const ctx = { db, clock, actor: anonymous };
    const timings = await timeSearches(samples, async (query) => {
      const result = await searchRecords(ctx, { ...query, limit: 20, offset: 0 });
      return result.ok && result.value.total > 0;
    });

    // ---- report
    log('== Catalog benchmark ==');
    log(`${embedded ? 'embedded PGlite' : 'PostgreSQL'}; ${fmt(totals.records)} records, ${fmt(totals.items)} items, ${benchLibraries.length} libraries\n`);
    log(table(['import', 'records', 'items', 'errors', 'time', 'records/s', 'items/s'], [
      ['importMarc (koha 952 items)', fmt(totals.imported), fmt(totals.items), fmt(totals.errors), `${fmt(importMs / 1000, 1)} s`, fmt(totals.records / (importMs / 1000)), fmt(totals.items / (importMs / 1000))],
    ]));
    const rows = timings.byKind.map((k) => [k.kind, fmt(k.count), `${fmt(k.foundShare * 100)}%`, fmt(k.p50, 1), fmt(k.p95, 1), fmt(k.max, 1)]);
    rows.push(['all searches', fmt(timings.all.count), '', fmt(timings.all.p50, 1), fmt(timings.all.p95, 1), fmt(timings.all.max, 1)]);
    log('');
    log(table(['search (searchRecords, 20 a page, facets)', 'count', 'found', 'p50 ms', 'p95 ms', 'max ms'], rows));
  } finally {
    await bench?.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:catalog failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
