import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema';
import { defaultOpeningHours } from '../src/services/libraries';

// The benchmark's consortium, loaded with set-based SQL (INSERT … SELECT generate_series) so that
// half a million items load in seconds and never pass through JavaScript. Pseudo-random choices
// come from hashint4 of the row number and the seed: the same sizes and seed give the same data
// on every run.
//
// Shape, chosen to look like a real consortium rather than a uniform grid:
// - member libraries, two systems of branches, one top-level library outside the lending program;
//   bigger libraries own more items (library index skewed toward the first ones);
// - records = items / 4, made-up ones unless the caller loads its own (real MARC records, see
//   consortium-records.ts); copies skewed toward popular titles (a few records have 100+ copies);
// - items: ~70% available, the rest checked out; 2% in a non-holdable Reference location;
//   2% new with 3-month age protection;
// - open holds: 40% targeted more than 24 h before "now" (due for retargeting), 10% targeted
//   recently (not due), 50% waiting, queued mostly on popular titles (a bestseller has hundreds).

export interface Sizes {
  libraries: number;
  /** Top-level libraries outside the lending program (the last ones); 1 when absent. */
  nonLending?: number;
  records: number;
  items: number;
  openHolds: number;
  placed: number;
  concurrency: number;
  /** At least as many patrons as the holds need; the holds go round all of them but the placing ones. */
  patrons?: number;
  /** Mixed into every pseudo-random choice (0 when absent). */
  seed?: number;
}

export type LoadStep = (name: string, work: () => Promise<number | bigint | undefined>) => Promise<void>;

export interface LoadOptions {
  /**
   * Loads exactly `sizes.records` records with consecutive ids, and may load items of its own
   * (counted in `sizes.items`), in place of made-up titles. Runs after the libraries exist.
   */
  records?: (step: LoadStep) => Promise<void>;
}

export interface PlacingPatron {
  barcode: string;
  homeCode: string;
}

export interface LoadedData {
  libraryIds: number[];
  recordBase: number;
  /** Patrons with no open hold, one block for each placing phase. */
  placingPatrons: PlacingPatron[][];
  steps: { step: string; ms: number; rows: number }[];
}

const dueShare = 0.4;
const recentShare = 0.1;

function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return String(n);
}

/** Pseudo-random SQL expressions: each salt gives an independent stream, the seed a different run. */
function randomSql(seed: number) {
  /** A uniform number in [0, 1) from an integer SQL expression and a salt. */
  const u = (expr: string, salt: number): string =>
    `((hashint4((${expr})::int # ${int(salt)} # ${int(seed)}) + 2147483648::float8) / 4294967296::float8)`;
  /** An index in [0, n) skewed toward 0 by `power` (1 = uniform). */
  const skewed = (expr: string, salt: number, n: number, power: number): string => `least(${n - 1}, floor(${n} * power(${u(expr, salt)}, ${power})))::int`;
  return { u, skewed };
}

export async function loadTargetingData(db: Kysely<Database>, sizes: Sizes, now: Date, options: LoadOptions = {}): Promise<LoadedData> {
  const steps: LoadedData['steps'] = [];
  const { u, skewed } = randomSql(sizes.seed ?? 0);
  const step: LoadStep = async (name, work) => {
    const started = performance.now();
    const rows = Number((await work()) ?? 0);
    steps.push({ step: name, ms: performance.now() - started, rows });
  };
  const run = async (text: string): Promise<number> => Number((await sql.raw(text).execute(db)).numAffectedRows ?? 0);
  const nowSql = `TIMESTAMPTZ '${now.toISOString()}'`;
  const today = now.toISOString().slice(0, 10);

  let libraryIds: number[] = [];
  await step('libraries, shelving locations', async () => {
    libraryIds = await loadLibraries(db, sizes.libraries, sizes.nonLending ?? 1);
    await run(`INSERT INTO shelving_locations (library_id, name, holdable)
      SELECT l.id, n.name, n.holdable FROM libraries l, (VALUES ('Stacks', true), ('Reference', false)) n(name, holdable)
      WHERE l.kind = 'library'`);
    return libraryIds.length;
  });
  const L = libraryIds.length;
  const libs = `ARRAY[${libraryIds.map(int).join(',')}]`;
  const R = sizes.records;

  if (options.records) {
    await options.records(step);
  } else {
    await step('records', () =>
      run(`INSERT INTO records (title, author, year, format)
        SELECT 'Bench title ' || g, 'Author ' || (1 + g % 20000), 1950 + g % 75, 'book' FROM generate_series(1, ${int(R)}) g`),
    );
  }
  // records are picked by index from recordBase: a gap would point items at no record
  const span = (await sql<{ base: number; top: number; n: number }>`SELECT min(id)::int AS base, max(id)::int AS top, count(*)::int AS n FROM records`.execute(db)).rows[0];
  if (span.n !== R || span.top - span.base + 1 !== R) throw new Error(`expected ${R} records with consecutive ids, found ${span.n} in ${span.base}..${span.top}`);
  const recordBase = span.base;
  const loadedItems = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM items`.execute(db)).rows[0].n);

  await step('volumes, items', async () => {
    // the plan fixes each item's record and library once, so volumes and items agree
    await run(`CREATE UNLOGGED TABLE bench_item_plan AS
      SELECT g AS n,
        ${int(recordBase)} + ${skewed('g', 11, R, 1.5)} AS record_id,
        (${libs})[1 + ${skewed('g', 12, L, 1.4)}] AS library_id,
        CASE WHEN ${u('g', 13)} < 0.70 THEN 'available' ELSE 'checked-out' END AS status,
        ${u('g', 14)} < 0.02 AS is_new,
        ${u('g', 15)} < 0.02 AS reference,
        ${u('g', 16)} AS age
      FROM generate_series(1, ${int(Math.max(0, sizes.items - loadedItems))}) g`);
    await run(`INSERT INTO volumes (record_id, library_id, call_number)
      SELECT DISTINCT record_id, library_id, 'FIC BENCH ' || record_id FROM bench_item_plan`);
    const items = await run(`INSERT INTO items (barcode, volume_id, record_id, owning_library_id, current_library_id, location_id, status, cataloged_at, age_protection)
      SELECT '3' || lpad(p.n::text, 10, '0'), v.id, p.record_id, p.library_id, p.library_id, s.id, p.status,
        CASE WHEN p.is_new THEN DATE '${today}' - (p.age * 60)::int ELSE DATE '${today}' - (365 + p.age * 3000)::int END,
        CASE WHEN p.is_new THEN '3m' ELSE 'none' END
      FROM bench_item_plan p
      JOIN volumes v ON v.record_id = p.record_id AND v.library_id = p.library_id AND v.call_number = 'FIC BENCH ' || p.record_id
      JOIN shelving_locations s ON s.library_id = p.library_id AND s.name = CASE WHEN p.reference THEN 'Reference' ELSE 'Stacks' END
      ORDER BY p.n`);
    await run('DROP TABLE bench_item_plan');
    return items;
  });

  // Holds are planned first (record, target, times), then given patrons: numbering the plan by
  // record and taking patron (j mod P) gives each record's holds distinct patrons as long as P
  // exceeds the longest queue, so "one open hold per patron and record" holds by construction.
  const targetedWanted = Math.round(sizes.openHolds * (dueShare + recentShare));
  const dueWanted = Math.round(sizes.openHolds * dueShare);
  let maxQueue = 0;
  await step('hold plan', async () => {
    await run(`CREATE UNLOGGED TABLE bench_hold_plan AS
      WITH pick AS (
        SELECT i.id, i.record_id, row_number() OVER (ORDER BY hashint4(i.id # 21 # ${int(sizes.seed ?? 0)}), i.id) AS r
        FROM items i
        JOIN libraries o ON o.id = i.owning_library_id
        JOIN shelving_locations s ON s.id = i.location_id
        WHERE i.status = 'available' AND i.age_protection = 'none' AND o.participates_in_lending AND s.holdable
      ), targeted AS (
        SELECT record_id, id AS target_item_id, r,
          ${nowSql} - interval '1 hour' * CASE WHEN r <= ${int(dueWanted)} THEN 26 + ${u('r', 22)} * 70 ELSE 1 + ${u('r', 22)} * 19 END AS targeted_at
        FROM pick WHERE r <= ${int(targetedWanted)}
      )
      SELECT record_id, target_item_id, targeted_at, targeted_at - interval '1 day' * ${u('r', 23)} * 30 AS requested_at FROM targeted`);
    const targeted = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM bench_hold_plan`.execute(db)).rows[0].n);
    await run(`INSERT INTO bench_hold_plan (record_id, target_item_id, targeted_at, requested_at)
      SELECT ${int(recordBase)} + ${skewed('g', 24, R, 3)}, NULL, NULL, ${nowSql} - interval '1 day' * ${u('g', 25)} * 60
      FROM generate_series(1, ${int(sizes.openHolds - targeted)}) g`);
    maxQueue = Number((await sql<{ n: number }>`SELECT coalesce(max(c), 0)::int AS n FROM (SELECT count(*) AS c FROM bench_hold_plan GROUP BY record_id) q`.execute(db)).rows[0].n);
    return sizes.openHolds;
  });

  const placingBlock = Math.max(1, Math.ceil(sizes.placed / 5));
  const blocks = sizes.concurrency > 1 ? 2 : 1;
  const holdPatrons = Math.max(Math.ceil(sizes.openHolds / 4), maxQueue + 1, (sizes.patrons ?? 0) - placingBlock * blocks);
  const patronCount = holdPatrons + placingBlock * blocks;
  await step('patrons', () =>
    run(`INSERT INTO patrons (barcode, first_name, last_name, home_library_id, email, notify_by)
      SELECT '2' || lpad(g::text, 10, '0'), 'Reader', 'Bench ' || g, (${libs})[1 + ${skewed('g', 31, L, 1.4)}],
        CASE WHEN g % 2 = 0 THEN 'reader' || g || '@example.org' END,
        CASE WHEN g % 2 = 0 THEN ARRAY['email'] ELSE ARRAY[]::text[] END
      FROM generate_series(1, ${int(patronCount)}) g`),
  );
  const patronBase = Number((await sql<{ base: number }>`SELECT min(id)::int AS base FROM patrons`.execute(db)).rows[0].base);

  await step('open holds', async () => {
    const holds = await run(`INSERT INTO holds (type, patron_id, record_id, pickup_library_id, status, notify_by, requested_at, target_item_id, targeted_at)
      SELECT 'title', pa.id, p.record_id, pa.home_library_id, CASE WHEN p.target_item_id IS NULL THEN 'waiting' ELSE 'targeted' END,
        pa.notify_by, p.requested_at, p.target_item_id, p.targeted_at
      FROM (SELECT *, row_number() OVER (ORDER BY record_id, requested_at) AS j FROM bench_hold_plan) p
      JOIN patrons pa ON pa.id = ${int(patronBase)} + ((p.j - 1) % ${int(holdPatrons)})
      ORDER BY p.requested_at`);
    // a patron of the library outside the lending program may hold only its own items
    await run(`UPDATE holds h SET status = 'waiting', target_item_id = NULL, targeted_at = NULL
      FROM items i, patrons pa, libraries home
      WHERE h.status = 'targeted' AND i.id = h.target_item_id AND pa.id = h.patron_id AND home.id = pa.home_library_id
        AND NOT home.participates_in_lending AND home.id <> i.owning_library_id`);
    await run('DROP TABLE bench_hold_plan');
    return holds;
  });
  await step('vacuum analyze', async () => {
    await run('VACUUM ANALYZE');
    return 0;
  });

  const placingPatrons: PlacingPatron[][] = [];
  for (let b = 0; b < blocks; b++) {
    const from = patronBase + holdPatrons + b * placingBlock;
    const rows = await db
      .selectFrom('patrons')
      .innerJoin('libraries', 'libraries.id', 'patrons.home_library_id')
      .select(['patrons.barcode', 'libraries.code'])
      .where('patrons.id', '>=', from)
      .where('patrons.id', '<', from + placingBlock)
      .orderBy('patrons.id')
      .execute();
    placingPatrons.push(rows.map((r) => ({ barcode: r.barcode, homeCode: r.code })));
  }
  return { libraryIds, recordBase, placingPatrons, steps };
}

/** Member libraries: two systems of branches, top-level libraries, the last ones outside lending. */
async function loadLibraries(db: Kysely<Database>, count: number, nonLending: number): Promise<number[]> {
  const inA = Math.max(2, Math.round(count / 5));
  const inB = Math.max(2, Math.round(count / 8));
  if (count < inA + inB + 1 + nonLending) throw new Error('BENCH_LIBRARIES must be at least 6');
  const hours = JSON.stringify(defaultOpeningHours);
  const systems = await db
    .insertInto('libraries')
    .values([
      { code: 'SYS-A', name: 'Bench System A', kind: 'system', opening_hours: hours },
      { code: 'SYS-B', name: 'Bench System B', kind: 'system', opening_hours: hours },
    ])
    .returning('id')
    .execute();
  const rows = Array.from({ length: count }, (_, i) => ({
    code: `L${String(i + 1).padStart(3, '0')}`,
    name: `Bench Library ${i + 1}`,
    kind: 'library' as const,
    parent_id: i < inA ? systems[0].id : i < inA + inB ? systems[1].id : null,
    participates_in_lending: i < count - nonLending,
    opening_hours: hours,
  }));
  const members = await db.insertInto('libraries').values(rows).returning('id').execute();
  return members.map((m) => m.id);
}
