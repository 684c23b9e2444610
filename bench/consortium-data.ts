import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema';
import { jobs } from '../src/jobs/registry';
import type { BenchCatalog } from './catalog-data';
import { loadCirculationData } from './circulation-data';
import { loadConsortiumRecords, type ImportRate } from './consortium-records';
import { loadTargetingData, type LoadedData, type Sizes } from './targeting-data';

// The consortium of `npm run bench` at a scale (1 = the consortium the performance targets are
// set for): the same generator on the server and on the embedded database, so that their
// numbers compare. Real MARC records, bulk-loaded items, patrons, open holds and a year of loans.

export interface ConsortiumSizes extends Sizes {
  patrons: number;
  /** Records that go through the importer; the rest repeat them in SQL. */
  imported: number;
  seed: number;
}

export function consortiumSizes(scale: number, seed: number): ConsortiumSizes {
  const records = Math.round(200_000 * scale);
  return {
    libraries: 50,
    nonLending: 3,
    items: Math.round(1_000_000 * scale),
    records,
    patrons: Math.round(200_000 * scale),
    openHolds: Math.round(200_000 * scale),
    imported: Math.min(records, Math.max(2_000, Math.round(20_000 * scale))),
    placed: 500,
    concurrency: 1,
    seed,
  };
}

export interface Consortium extends LoadedData {
  /** Circulation staff user name per library code. */
  staff: Map<string, string>;
  importRate: ImportRate;
  loadMs: number;
}

export async function loadConsortium(db: Kysely<Database>, sizes: ConsortiumSizes, catalog: BenchCatalog, now: Date): Promise<Consortium> {
  const started = performance.now();
  let importRate: ImportRate | undefined;
  const data = await loadTargetingData(db, sizes, now, {
    records: async (step) => void (importRate = await loadConsortiumRecords(db, catalog, now, sizes.records, sizes.imported, step)),
  });
  const desk = await loadCirculationData(db, now, 2, sizes.seed);
  // the scheduler of the server under test waits: the benchmark runs each job itself
  await db.insertInto('jobs').values(jobs.map((j) => ({ name: j.name, run_after: new Date(Date.now() + 86_400_000) }))).execute();
  return { ...data, steps: [...data.steps, ...desk.steps], staff: desk.staff, importRate: importRate!, loadMs: performance.now() - started };
}
