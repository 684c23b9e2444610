import { sql } from 'kysely';
import { runTargetingSweep } from '../src/jobs/targeting-sweep';
import { SettableClock } from '../src/services/clock';
import { openBenchDatabase, type BenchDatabase } from './bench-database';
import { benchCatalog } from './catalog-data';
import { consortiumSizes, loadConsortium, type Consortium } from './consortium-data';
import { timePlacements, timeRequests, type Timing } from './desk-requests';
import { embeddedScale, runEmbeddedPhase } from './embedded-phase';
import { describeMachine, type Machine } from './machine';
import { runPgbench, type PgbenchResult } from './pgbench';
import { planHolds } from './place-holds';
import { writeResults, type BenchResult } from './results-report';
import { runScanLoad, type LoadResult } from './scan-load';
import { searchMix, timeSearches, type SearchQuery, type SearchTimings } from './search-mix';
import { signInDesks, startServer } from './server-under-test';
import { runSweepBaseline } from './sweep-baseline';
import { judge } from './targets';

// `npm run bench` — the consortium-scale benchmark (README "Benchmarks"). On the PostgreSQL
// server at DATABASE_URL (default the local one) it creates a fresh database, loads a consortium
// at --scale (1 = 1,000,000 items) from real MARC records, runs the desk, the catalog and the
// sweep against it, compares with the database's own limits, then runs the desk of a single
// site on an embedded database, and writes bench/results/latest.{json,md}. It drops the
// database at the end.

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const scale = Number(arg('--scale') ?? process.env.BENCH_SCALE ?? 1);
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be a number in (0, 1]');
const seed = Number(arg('--seed') ?? 1);
if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31)) throw new Error('--seed must be a whole number below 2^31');
const clients = 16;
const searches = 500;
const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
if (process.env.DATABASE_URL && !process.env.BENCH_DATABASE_URL) process.env.BENCH_DATABASE_URL = process.env.DATABASE_URL;

const now = new Date('2025-03-12T16:00:00Z');
const sizes = consortiumSizes(scale, seed);
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const ms = (n: number): string => `${n.toFixed(1)} ms`;
const count = (n: number): string => n.toLocaleString('en-US');

/** A catalog search as the catalog's pages send it. */
function searchOverHttp(url: string): (query: SearchQuery) => Promise<boolean> {
  return async (query) => {
    const params = new URLSearchParams({ limit: '20', offset: '0' });
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const res = await fetch(`${url}/api/v1/records?${params}`);
    if (!res.ok) throw new Error(`catalog search ${params} failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { total: number }).total > 0;
  };
}

async function main(): Promise<void> {
  let bench: BenchDatabase | undefined;
  process.once('SIGINT', () => void (bench?.dispose() ?? Promise.resolve()).finally(() => process.exit(130)));
  const started = performance.now();
  const catalog = benchCatalog({ seed, location: 'Stacks' });
  bench = await openBenchDatabase('postgres', 4, now);
  const db = bench.connection.db;
  let machine: Machine;
  let data: Consortium;
  let scans: LoadResult;
  let pgbench: PgbenchResult;
  let search: SearchTimings;
  let sweep: BenchResult['sweep'];
  let timings: Timing[] = [];
  try {
    machine = await describeMachine(db);
    log(`Tamarack benchmark at scale ${scale}, seed ${seed}: ${count(sizes.items)} items, ${count(sizes.records)} records, ${count(sizes.patrons)} patrons, ` +
      `${count(sizes.openHolds)} open holds; PostgreSQL ${machine.postgres.version}, ${machine.cores} cores, load average ${machine.loadAverage.join(' ')}`);
    log(`real MARC records: ${count(catalog.base)} from ${catalog.source}`);
    data = await loadConsortium(db, sizes, catalog, now);
    for (const s of data.steps) log(`  load ${s.step.padEnd(40)} ${(s.ms / 1000).toFixed(1)} s  ${count(s.rows)} rows`);
    log(`  import rate ${data.importRate.recordsPerSecond.toFixed(0)} records/s (${count(data.importRate.items)} items, ${data.importRate.errors} errors)`);

    // BENCH_SERVER_NODE_ARGS (e.g. --cpu-prof) profiles the server under test
    const server = await startServer(bench.url!, {}, process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []);
    try {
      const cookies = await signInDesks(server, data.staff);
      log(`\nscans over HTTP, ${clients} clients, ${loadSeconds} s…`);
      scans = await runScanLoad(db, server, cookies, clients, loadSeconds);
      log(`  ${count(scans.scans)} scans (${JSON.stringify(scans.byKind)}), ${scans.errors} errors, ${scans.tps.toFixed(0)}/s, p50 ${ms(scans.latencyMs.p50)}, p95 ${ms(scans.latencyMs.p95)}, server RSS max ${scans.maxRssMb.toFixed(0)} MB`);

      // the library with the longest pull list: the most targeted copies on its shelves
      const busiest = (await sql<{ code: string }>`SELECT l.code FROM holds h JOIN items i ON i.id = h.target_item_id JOIN libraries l ON l.id = i.current_library_id
        WHERE h.status = 'targeted' GROUP BY l.code ORDER BY count(*) DESC LIMIT 1`.execute(db)).rows[0].code;
      const get = (path: string) => fetch(`${server.url}/api/v1${path}`, { headers: { cookie: cookies.get(busiest)! } });
      const holds = planHolds(data.placingPatrons[0], sizes.placed, data.recordBase, sizes.records, seed);
      timings = [
        await timeRequests(`pull list (${busiest})`, 20, () => get(`/libraries/${busiest}/pull-list`)),
        await timeRequests(`holds shelf (${busiest})`, 20, () => get(`/libraries/${busiest}/holds-shelf`)),
        await timeRequests(`holds report, a month (${busiest})`, 10, () => get(`/reports/holds?library=${busiest}&from=2025-01-01&to=2025-01-31`)),
        await timePlacements(server, cookies, holds),
      ];
      for (const t of timings) log(`  ${t.name.padEnd(34)} p50 ${ms(t.p50)}  p95 ${ms(t.p95)}  (${t.runs} runs, ${t.errors} errors)`);

      log(`\ncatalog search over HTTP, ${searches} searches of the bench:catalog mix…`);
      search = await timeSearches(await searchMix(db, sizes.records, searches), searchOverHttp(server.url));
      log(`  p50 ${ms(search.all.p50)}, p95 ${ms(search.all.p95)}, max ${ms(search.all.max)}; p95 by kind: ${search.byKind.map((k) => `${k.kind} ${k.p95.toFixed(0)}`).join(', ')}`);
    } finally {
      await server.stop();
    }

    log(`\npgbench tpcb-like, ${clients} clients, ${loadSeconds} s…`);
    const pgbenchDb = `${bench.name}_pgbench`;
    await sql.raw(`CREATE DATABASE ${pgbenchDb}`).execute(db);
    const pgbenchUrl = new URL(bench.url!);
    pgbenchUrl.pathname = `/${pgbenchDb}`;
    try {
      pgbench = await runPgbench(pgbenchUrl.toString(), clients, loadSeconds);
    } finally {
      await sql.raw(`DROP DATABASE IF EXISTS ${pgbenchDb}`).execute(db);
    }
    log(`  ${pgbench.tps.toFixed(0)} tps; scans reach ${((100 * scans.tps) / pgbench.tps).toFixed(0)}% of it`);

    log('\nthe targeting sweep over all open holds…');
    const hours = (await db.selectFrom('consortium').select('retarget_after_hours').executeTakeFirstOrThrow()).retarget_after_hours;
    const baseline = await runSweepBaseline(db, now, hours);
    const openHolds = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM holds WHERE status IN ('waiting', 'targeted')`.execute(db)).rows[0].n);
    const sweepStart = performance.now();
    const summary = await runTargetingSweep({ db, clock: new SettableClock(now), random: () => 0.5 });
    const sweepMs = performance.now() - sweepStart;
    sweep = { ms: sweepMs, openHolds, summary, baselineMs: baseline.ms, ratio: sweepMs / baseline.ms };
    log(`  sweep ${(sweepMs / 1000).toFixed(1)} s ${JSON.stringify(summary)}; baseline statement ${(baseline.ms / 1000).toFixed(2)} s (${baseline.released} released, ${baseline.targeted} targeted): ${sweep.ratio.toFixed(1)}×`);
  } finally {
    await bench.dispose();
  }

  log(`\nembedded database (in memory), scale ${embeddedScale}: the same consortium generator…`);
  const embedded = await runEmbeddedPhase(catalog, seed, now, loadSeconds, log);
  log(`  scans p50 ${ms(embedded.scans.latencyMs.p50)}, p95 ${ms(embedded.scans.latencyMs.p95)} (${count(embedded.scans.scans)} scans, ${embedded.scans.errors} errors); ` +
    `placement p50 ${ms(embedded.placement.p50)}, p95 ${ms(embedded.placement.p95)} (${embedded.placement.runs} runs, ${embedded.placement.errors} errors)`);

  const measured = {
    scale,
    scans,
    pgbench,
    requests: timings,
    search,
    importRate: data.importRate,
    sweep,
    embedded,
    totalSeconds: (performance.now() - started) / 1000,
  };
  const md = writeResults({
    at: new Date().toISOString(),
    seed,
    machine,
    sizes,
    load: { seconds: data.loadMs / 1000, steps: data.steps },
    ...measured,
    targets: judge(measured),
  });
  log(`\n${md}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
