import { sql } from 'kysely';
import { openBenchDatabase, type BenchDatabase } from './bench-database';
import type { BenchCatalog } from './catalog-data';
import { consortiumSizes, loadConsortium, type ConsortiumSizes } from './consortium-data';
import type { ImportRate } from './consortium-records';
import { timePlacements, type Timing } from './desk-requests';
import { planHolds } from './place-holds';
import { runScanLoad, type LoadResult } from './scan-load';
import { signInDesks, startInProcessServer } from './server-under-test';

// The single-site install: the same consortium generator on an in-memory embedded database, at
// a fixed small scale whatever the server phase's scale (an embedded database is for one site,
// not for a million items), and the desk's view of it — scans and hold placement over HTTP to
// the server running in this process, one desk at a time (the embedded database has one
// connection, so a second client would only queue).

export const embeddedScale = 0.05;

export interface EmbeddedResult {
  scale: number;
  /** The engine's PostgreSQL version (PGlite's, not the server's). */
  postgres: string;
  sizes: ConsortiumSizes;
  steps: { step: string; ms: number; rows: number }[];
  loadMs: number;
  importRate: ImportRate;
  scans: LoadResult;
  placement: Timing;
}

export async function runEmbeddedPhase(catalog: BenchCatalog, seed: number, now: Date, loadSeconds: number, log: (line: string) => void): Promise<EmbeddedResult> {
  const sizes = consortiumSizes(embeddedScale, seed);
  let bench: BenchDatabase | undefined;
  try {
    bench = await openBenchDatabase('embedded', 1, now);
    const db = bench.connection.db;
    const postgres = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)).rows[0].v;
    const data = await loadConsortium(db, sizes, catalog, now);
    for (const s of data.steps) log(`  load ${s.step.padEnd(40)} ${(s.ms / 1000).toFixed(1)} s  ${s.rows.toLocaleString('en-US')} rows`);
    const server = await startInProcessServer(bench.connection);
    try {
      const cookies = await signInDesks(server, data.staff);
      log(`  scans over HTTP in this process, 1 client, ${loadSeconds} s…`);
      const scans = await runScanLoad(db, server, cookies, 1, loadSeconds);
      const holds = planHolds(data.placingPatrons[0], sizes.placed, data.recordBase, sizes.records, seed);
      const placement = await timePlacements(server, cookies, holds);
      return { scale: embeddedScale, postgres, sizes, steps: data.steps, loadMs: data.loadMs, importRate: data.importRate, scans, placement };
    } finally {
      await server.stop();
    }
  } finally {
    await bench?.dispose();
  }
}
