import { sql, type Kysely } from 'kysely';
import type { StaffActor } from '../src/domain/actor';
import { seededRandom } from '../src/domain/seeded-random';
import type { Database } from '../src/db/schema';
import { runTargetingSweep } from '../src/jobs/targeting-sweep';
import { SettableClock } from '../src/services/clock';
import { openBenchDatabase, watchCommits, type BenchDatabase } from './bench-database';
import { placeAll, planHolds, type PlacementResult } from './place-holds';
import { profileQueries, shortSql, type Profile } from './query-profile';
import { loadTargetingData, type Sizes } from './targeting-data';
import { leftOut, targetDueHoldsInSql, type SqlOutcome } from './targeting-sql';

// `npm run bench:targeting` — speed targets of the targeter are checked here, never by timed
// tests. On a fresh PostgreSQL database (BENCH_DATABASE_URL, the server's admin connection):
//   A. place BENCH_HOLDS_PLACED holds through placeHold, one by one, then with BENCH_CONCURRENCY callers;
//   C. the sweep's work as one set-based SQL statement, in a transaction rolled back afterwards,
//      so that B starts from the very same state;
//   B. one runTargetingSweep over BENCH_OPEN_HOLDS open holds on BENCH_ITEMS items.
// --embedded (or BENCH_DB=embedded) runs the same on the embedded database at small sizes.
// --profile (or BENCH_PROFILE=1) adds, for A and B, the statements sent and their time.
// --load-only --keep load the data and leave the database in place, to EXPLAIN queries on it.
// --skip-sweep leaves out B (at sizes where the product sweep takes hours).
// BENCH_SETUP_SQL runs after loading, to try an index or a setting without touching src/
// (e.g. 'CREATE INDEX ON hold_targetings (hold_id, id)'); PGOPTIONS='-c name=value' sets a
// server setting on every connection.

const embedded = process.argv.includes('--embedded') || process.env.BENCH_DB === 'embedded';
const profiling = process.argv.includes('--profile') || process.env.BENCH_PROFILE === '1';
const loadOnly = process.argv.includes('--load-only');
const keep = process.argv.includes('--keep') && !embedded;
const skipSweep = process.argv.includes('--skip-sweep');
const setupSql = process.env.BENCH_SETUP_SQL;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not ${raw}`);
  return n;
}

const items = envInt('BENCH_ITEMS', embedded ? 20_000 : 500_000);
const sizes: Sizes = {
  libraries: envInt('BENCH_LIBRARIES', 40),
  items,
  records: envInt('BENCH_RECORDS', Math.max(1, Math.round(items / 4))),
  openHolds: envInt('BENCH_OPEN_HOLDS', embedded ? 4_000 : 100_000),
  placed: envInt('BENCH_HOLDS_PLACED', embedded ? 1_000 : 10_000),
  // the embedded database has one connection: concurrent callers would only queue
  concurrency: embedded ? 1 : envInt('BENCH_CONCURRENCY', 8),
};

// "Now" of the sweep: a Wednesday afternoon, so every target loaded as due (26–96 h old) is past
// its deadline even when a closed Sunday lies in between. Holds are placed two hours earlier.
const sweepAt = new Date('2025-03-12T16:00:00Z');
const placeAt = new Date(sweepAt.getTime() - 2 * 3_600_000);

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const secs = (ms: number): string => `${fmt(ms / 1000, ms < 10_000 ? 2 : 1)} s`;
const log = (line: string): void => void process.stdout.write(`${line}\n`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function openHoldCounts(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM holds WHERE status IN ('waiting', 'targeted') GROUP BY status ORDER BY status`.execute(db);
  return rows.map((r) => `${r.status} ${fmt(r.n)}`).join(', ');
}

function printProfile(title: string, profile: Profile, wallMs: number, units: number, unit: string): void {
  log(`\n${title}: ${fmt(profile.totalCount)} statements (${fmt(profile.totalCount / units, 1)} per ${unit}), ` +
    (profile.totalMs <= wallMs
      ? `${secs(profile.totalMs)} waiting on the database of ${secs(wallMs)} wall (the other ${secs(wallMs - profile.totalMs)}: JavaScript, driver)`
      : `${secs(profile.totalMs)} of statement time summed over concurrent callers, ${secs(wallMs)} wall`));
  log(table(
    ['per ' + unit, 'count', 'total', 'avg ms', 'statement'],
    profile.statements.slice(0, 14).map((s) => [fmt(s.count / units, 2), fmt(s.count), secs(s.ms), fmt(s.ms / s.count, 3), shortSql(s.sql)]),
  ));
}

async function main(): Promise<void> {
  let bench: BenchDatabase | undefined;
  const interrupted = new AbortController();
  const stop = (signal: string): void => {
    process.stderr.write(`\n${signal}: dropping the bench database\n`);
    interrupted.abort();
    void (bench?.dispose() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  try {
    bench = await openBenchDatabase(embedded ? 'embedded' : 'postgres', Math.max(2, sizes.concurrency), placeAt);
    const db = bench.connection.db;
    log(`Tamarack targeting benchmark — ${embedded ? 'embedded PGlite' : 'PostgreSQL'} (${bench.name})`);
    const autovacuum = (await sql<{ autovacuum: string }>`SHOW autovacuum`.execute(db)).rows[0].autovacuum;
    if (autovacuum !== 'on') {
      log('note: autovacuum is off on this server, so a table that grows during a phase keeps the statistics it had when the phase began');
    }
    log(`sizes: ${fmt(sizes.libraries)} libraries, ${fmt(sizes.records)} records, ${fmt(sizes.items)} items, ` +
      `${fmt(sizes.openHolds)} open holds, ${fmt(sizes.placed)} holds placed, concurrency ${sizes.concurrency}\n`);

    // ---- load
    const loadStarted = performance.now();
    const data = await loadTargetingData(db, sizes, sweepAt);
    const loadMs = performance.now() - loadStarted;
    log(table(['load step', 'rows', 'time'], data.steps.map((s) => [s.step, s.rows ? fmt(s.rows) : '', secs(s.ms)])));
    log(`open holds loaded: ${await openHoldCounts(db)}\n`);
    if (setupSql) {
      await sql.raw(setupSql).execute(db);
      log(`setup SQL: ${setupSql}\n`);
    }
    if (loadOnly) return;
    const lastLoadedHold = Number((await sql<{ id: number }>`SELECT max(id)::int AS id FROM holds`.execute(db)).rows[0].id);
    const settings = await db.selectFrom('consortium').select('retarget_after_hours').executeTakeFirstOrThrow();
    const admin = await db.selectFrom('staff').select(['id', 'username']).where('role', '=', 'consortium-admin').executeTakeFirstOrThrow();
    const actor: StaffActor = { kind: 'staff', staffId: admin.id, username: admin.username, role: 'consortium-admin', libraryId: data.libraryIds[0], libraryCode: 'L001' };
    const clock = new SettableClock(placeAt);

    // ---- A: placing holds through the service
    const placements: { label: string; result: PlacementResult; profile?: Profile }[] = [];
    for (const [block, workers] of [[0, 1], [1, sizes.concurrency]] as const) {
      if (block >= data.placingPatrons.length || interrupted.signal.aborted) continue;
      const holds = planHolds(data.placingPatrons[block], sizes.placed, data.recordBase, sizes.records, 100 + block);
      const stopProfile = profiling ? profileQueries() : undefined;
      log(`A${block + 1}. placing ${fmt(holds.length)} holds with ${workers === 1 ? 'one caller' : `${workers} concurrent callers`}…`);
      const result = await placeAll(db, clock, actor, holds, workers, 200 + block, interrupted.signal);
      placements.push({ label: workers === 1 ? 'sequential' : `${workers} concurrent`, result, profile: stopProfile?.() });
      log(`    ${secs(result.ms)}, ${fmt(result.placed / (result.ms / 1000))} holds/s, ${fmt(result.targeted)} targeted, ` +
        `${fmt(result.placed - result.targeted)} waiting${Object.keys(result.refused).length ? `, refused ${JSON.stringify(result.refused)}` : ''}${result.failed ? `, ${result.failed} failed` : ''}`);
    }
    // the sweep works on exactly the loaded holds: cancel the placed ones, which frees their copies
    await sql`UPDATE holds SET status = 'cancelled', cancel_reason = 'other', cancelled_at = ${placeAt}::timestamptz
      WHERE id > ${lastLoadedHold} AND status NOT IN ('fulfilled', 'cancelled')`.execute(db);
    // fresh statistics before C and B, as autovacuum would have them on a live server (A grew
    // hold_targetings and events from nothing)
    await sql`VACUUM ANALYZE`.execute(db);

    // ---- C: the same work as bare SQL, rolled back so that B starts from the same state
    log('\nC.  the sweep as set-based SQL: a release UPDATE, then one recursive-CTE statement (rolled back afterwards)…');
    let sqlOutcome: SqlOutcome | undefined;
    let sqlMs = 0;
    let sqlAfter = '';
    await db.connection().execute(async (conn) => {
      await sql`BEGIN`.execute(conn);
      try {
        const started = performance.now();
        sqlOutcome = await targetDueHoldsInSql(conn, sweepAt, settings.retarget_after_hours);
        sqlMs = performance.now() - started;
        sqlAfter = await openHoldCounts(conn);
      } finally {
        await sql`ROLLBACK`.execute(conn);
      }
    });
    log(`    ${secs(sqlMs)}: ${JSON.stringify(sqlOutcome)}; open holds after: ${sqlAfter}`);
    await sql`VACUUM ANALYZE holds, hold_exclusions`.execute(db);

    // ---- B: the product sweep
    let sweep: { ms: number; holds: number; summary: Record<string, number>; after: string; profile?: Profile } | undefined;
    if (!skipSweep) {
      log(`\nB.  runTargetingSweep over ${await openHoldCounts(db)}…`);
      clock.set(sweepAt);
      const stopWatch = bench.url ? watchCommits(bench.url, 'sweep') : undefined;
      const stopProfile = profiling ? profileQueries() : undefined;
      const started = performance.now();
      const summary = await runTargetingSweep({ db, clock, random: seededRandom(7).next });
      const ms = performance.now() - started;
      const profile = stopProfile?.();
      await stopWatch?.();
      sweep = { ms, summary, profile, holds: summary.timedOut + summary.waitingTried + summary.resumed, after: await openHoldCounts(db) };
      log(`    ${secs(ms)}: ${JSON.stringify(summary)}; open holds after: ${sweep.after}`);
    }

    // ---- report
    log('\n== Targeting benchmark ==');
    log(`${embedded ? 'embedded PGlite' : 'PostgreSQL'}; ${fmt(sizes.libraries)} libraries, ${fmt(sizes.records)} records, ${fmt(sizes.items)} items, ${fmt(sizes.openHolds)} open holds\n`);
    const rows: string[][] = [['load (set-based SQL)', `${fmt(sizes.items)} items, ${fmt(sizes.openHolds)} holds`, secs(loadMs), '', '']];
    for (const p of placements) {
      rows.push([`A. placeHold, ${p.label}`, `${fmt(p.result.placed)} holds`, secs(p.result.ms), `${fmt(p.result.placed / (p.result.ms / 1000))} holds/s`,
        `${fmt(p.result.targeted)} targeted, ${fmt(p.result.ms / p.result.placed, 2)} ms/hold`]);
    }
    if (sweep) {
      const s = sweep.summary;
      rows.push(['B. runTargetingSweep', `${fmt(sweep.holds)} holds worked`, secs(sweep.ms), `${fmt(sweep.holds / (sweep.ms / 1000))} holds/s`,
        `${fmt(s.timedOut)} timed out, ${fmt(s.retargeted)} retargeted, ${fmt(s.newlyTargeted)} of ${fmt(s.waitingTried)} waiting targeted`]);
    }
    if (sqlOutcome) {
      rows.push(['C. set-based SQL', `${fmt(sqlOutcome.processed)} holds worked`, secs(sqlMs), `${fmt(sqlOutcome.processed / (sqlMs / 1000))} holds/s`,
        `${fmt(sqlOutcome.timedOut)} timed out, ${fmt(sqlOutcome.changed)} changed target, ${fmt(sqlOutcome.targeted)} targeted, ${fmt(sqlOutcome.waiting)} waiting`]);
    }
    log(table(['phase', 'work', 'time', 'rate', 'outcome'], rows));
    if (sweep && sqlOutcome) {
      log(`\nratio sweep / SQL: ${fmt(sweep.ms / sqlMs, 1)}× the time (${fmt(sweep.ms / Math.max(1, sweep.holds), 2)} ms vs ${fmt(sqlMs / Math.max(1, sqlOutcome.processed), 3)} ms per hold)`);
      log(`open holds after the sweep: ${sweep.after}; after the SQL: ${sqlAfter}`);
    } else log('\nsweep skipped (--skip-sweep): no ratio');
    log('the SQL leaves out:');
    for (const note of leftOut) log(`  - ${note}`);
    for (const p of placements) if (p.profile) printProfile(`A. placeHold ${p.label}`, p.profile, p.result.ms, p.result.placed, 'hold');
    if (sweep?.profile) printProfile('B. runTargetingSweep', sweep.profile, sweep.ms, Math.max(1, sweep.holds), 'hold');
  } finally {
    if (keep && bench?.url) {
      await bench.connection.close();
      log(`\nkept the database: ${bench.url} (drop it with DROP DATABASE ${bench.name})`);
    } else await bench?.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:targeting failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
