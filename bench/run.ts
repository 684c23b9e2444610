import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { sql } from 'kysely';
import { runTargetingSweep } from '../src/jobs/targeting-sweep';
import { jobs } from '../src/jobs/registry';
import { SettableClock } from '../src/services/clock';
import { openBenchDatabase, type BenchDatabase } from './bench-database';
import { loadCirculationData } from './circulation-data';
import { timeRequests, type Timing } from './desk-requests';
import { runPgbench } from './pgbench';
import { planHolds } from './place-holds';
import { runScanLoad, startServer, signIn, type LoadResult } from './scan-load';
import { runSweepBaseline } from './sweep-baseline';
import { loadTargetingData } from './targeting-data';
import { benchStaffPassword } from './circulation-data';

// `npm run bench` — the consortium-scale benchmark (README "Benchmarks"). On the PostgreSQL
// server at DATABASE_URL (default the local one) it creates a fresh database, loads a consortium
// at --scale (1 = 1,000,000 items), runs the desk and the sweep against it, compares with the
// database's own limits, and writes bench/results/latest.{json,md}. It drops the database at the end.

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const scale = Number(arg('--scale') ?? process.env.BENCH_SCALE ?? 1);
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be a number in (0, 1]');
const clients = 16;
const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
if (process.env.DATABASE_URL && !process.env.BENCH_DATABASE_URL) process.env.BENCH_DATABASE_URL = process.env.DATABASE_URL;

const now = new Date('2025-03-12T16:00:00Z');
const sizes = {
  libraries: 50,
  nonLending: 3,
  items: Math.round(1_000_000 * scale),
  records: Math.round(200_000 * scale),
  openHolds: Math.round(200_000 * scale),
  placed: 500,
  concurrency: 1,
};
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const ms = (n: number): string => `${n.toFixed(1)} ms`;

interface Target {
  what: string;
  value: number;
  unit: string;
  limit: string;
  met: boolean;
}

async function main(): Promise<void> {
  let bench: BenchDatabase | undefined;
  process.once('SIGINT', () => void (bench?.dispose() ?? Promise.resolve()).finally(() => process.exit(130)));
  const started = performance.now();
  const targets: Target[] = [];
  const target = (what: string, value: number, unit: string, limit: string, met: boolean) => targets.push({ what, value, unit, limit, met });
  try {
    bench = await openBenchDatabase('postgres', 4, now);
    const db = bench.connection.db;
    const version = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)).rows[0].v;
    log(`Tamarack benchmark at scale ${scale}: ${sizes.items.toLocaleString()} items, ${sizes.records.toLocaleString()} records, ${sizes.openHolds.toLocaleString()} open holds; PostgreSQL ${version}, ${cpus().length} cores`);

    const loadStart = performance.now();
    const data = await loadTargetingData(db, sizes, now);
    const desk = await loadCirculationData(db, now, 2);
    const loadMs = performance.now() - loadStart;
    for (const s of [...data.steps, ...desk.steps]) log(`  load ${s.step.padEnd(30)} ${(s.ms / 1000).toFixed(1)} s  ${s.rows.toLocaleString()} rows`);
    // the scheduler of the server under test waits: the benchmark runs each job itself
    await db.insertInto('jobs').values(jobs.map((j) => ({ name: j.name, run_after: new Date(Date.now() + 86_400_000) }))).execute();

    const server = await startServer(bench.url!);
    let load: LoadResult;
    let timings: Timing[] = [];
    try {
      log(`\nscans over HTTP, ${clients} clients, ${loadSeconds} s…`);
      load = await runScanLoad(db, server, desk.staff, clients, loadSeconds);
      log(`  ${load.scans.toLocaleString()} scans (${JSON.stringify(load.byKind)}), ${load.errors} errors, ${load.tps.toFixed(0)}/s, p50 ${ms(load.latencyMs.p50)}, p95 ${ms(load.latencyMs.p95)}, server RSS max ${load.maxRssMb.toFixed(0)} MB`);

      const busiest = (await sql<{ code: string }>`SELECT l.code FROM holds h JOIN items i ON i.id = h.target_item_id JOIN libraries l ON l.id = i.owning_library_id
        WHERE h.status = 'targeted' GROUP BY l.code ORDER BY count(*) DESC LIMIT 1`.execute(db)).rows[0].code;
      const cookie = await signIn(server.url, desk.staff.get(busiest)!, benchStaffPassword);
      const get = (path: string) => fetch(`${server.url}/api/v1${path}`, { headers: { cookie } });
      const patrons = data.placingPatrons[0];
      const holds = planHolds(patrons, sizes.placed, data.recordBase, sizes.records, 7);
      const cookies = new Map<string, string>();
      for (const p of patrons) if (!cookies.has(p.homeCode)) cookies.set(p.homeCode, await signIn(server.url, desk.staff.get(p.homeCode)!, benchStaffPassword));
      timings = [
        await timeRequests(`pull list (${busiest})`, 20, () => get(`/libraries/${busiest}/pull-list`)),
        await timeRequests(`holds shelf (${busiest})`, 20, () => get(`/libraries/${busiest}/holds-shelf`)),
        await timeRequests(`holds report, a month (${busiest})`, 10, () => get(`/reports/holds?library=${busiest}&from=2025-01-01&to=2025-01-31`)),
        await timeRequests('hold placement', holds.length, (i) =>
          fetch(`${server.url}/api/v1/holds`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: cookies.get(holds[i].pickupLibraryCode!)! },
            body: JSON.stringify(holds[i]),
          }),
        ),
      ];
      for (const t of timings) log(`  ${t.name.padEnd(34)} p50 ${ms(t.p50)}  p95 ${ms(t.p95)}  (${t.runs} runs, ${t.errors} errors)`);
    } finally {
      await server.stop();
    }

    log(`\npgbench tpcb-like, ${clients} clients, ${loadSeconds} s…`);
    const pgbenchDb = `${bench.name}_pgbench`;
    await sql.raw(`CREATE DATABASE ${pgbenchDb}`).execute(db);
    const pgbenchUrl = new URL(bench.url!);
    pgbenchUrl.pathname = `/${pgbenchDb}`;
    let pgbench;
    try {
      pgbench = await runPgbench(pgbenchUrl.toString(), clients, loadSeconds);
    } finally {
      await sql.raw(`DROP DATABASE IF EXISTS ${pgbenchDb}`).execute(db);
    }
    log(`  ${pgbench.tps.toFixed(0)} tps; scans reach ${((100 * load.tps) / pgbench.tps).toFixed(0)}% of it`);

    log('\nthe targeting sweep over all open holds…');
    const hours = (await db.selectFrom('consortium').select('retarget_after_hours').executeTakeFirstOrThrow()).retarget_after_hours;
    const baseline = await runSweepBaseline(db, now, hours);
    const clock = new SettableClock(now);
    const sweepStart = performance.now();
    const summary = await runTargetingSweep({ db, clock, random: () => 0.5 });
    const sweepMs = performance.now() - sweepStart;
    const openHolds = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM holds WHERE status IN ('waiting', 'targeted')`.execute(db)).rows[0].n);
    log(`  sweep ${(sweepMs / 1000).toFixed(1)} s ${JSON.stringify(summary)}; baseline statement ${(baseline.ms / 1000).toFixed(2)} s (${baseline.released} released, ${baseline.targeted} targeted): ${(sweepMs / baseline.ms).toFixed(1)}×`);

    const timing = (prefix: string) => timings.find((t) => t.name.startsWith(prefix))!;
    target('scan p95 at 16 clients', load.latencyMs.p95, 'ms', '< 20', load.latencyMs.p95 < 20);
    target('scan tps ÷ pgbench tps', (100 * load.tps) / pgbench.tps, '%', '≥ 35', load.tps / pgbench.tps >= 0.35);
    target('placement p95', timing('hold placement').p95, 'ms', '< 30', timing('hold placement').p95 < 30);
    target(`full sweep (${openHolds.toLocaleString()} open holds)`, sweepMs / 1000, 's', scale === 1 ? '< 30' : `< ${(30 * scale).toFixed(1)}`, sweepMs / 1000 < 30 * scale);
    target('pull list', timing('pull list').p50, 'ms', '< 50', timing('pull list').p50 < 50);
    target('holds report for a month', timing('holds report').p50, 'ms', '< 500', timing('holds report').p50 < 500);
    target('server RSS during the run', load.maxRssMb, 'MB', '< 500', load.maxRssMb < 500);

    const result = {
      at: new Date().toISOString(),
      scale,
      machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), postgres: version, node: process.version },
      sizes,
      loadSeconds: loadMs / 1000,
      scans: load,
      pgbench,
      requests: timings,
      sweep: { ms: sweepMs, summary, openHolds, baselineMs: baseline.ms, ratio: sweepMs / baseline.ms },
      targets,
      totalSeconds: (performance.now() - started) / 1000,
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
    const md = [
      `# Tamarack benchmark, scale ${scale}`,
      '',
      `${result.at}; ${result.machine.cores} cores, PostgreSQL ${version}, Node ${process.version}; ${sizes.items.toLocaleString()} items, ${sizes.records.toLocaleString()} records, ${sizes.openHolds.toLocaleString()} open holds.`,
      '',
      '| target | measured | limit | |',
      '|---|---:|---|---|',
      ...targets.map((t) => `| ${t.what} | ${t.value.toFixed(1)} ${t.unit} | ${t.limit} ${t.unit} | ${t.met ? 'met' : '**missed**'} |`),
      '',
    ].join('\n');
    writeFileSync('bench/results/latest.md', md);
    log(`\n${md}`);
  } finally {
    await bench?.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
