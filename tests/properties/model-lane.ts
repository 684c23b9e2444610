import { sql } from 'kysely';
import { seededRandom } from '../../src/domain/seeded-random';
import { brokenInvariantsQuery, groupBroken } from '../support/circulation-invariants';
import { createConsortiumFixture, createTestPatron, fixturePatrons, type ConsortiumFixture } from '../support/fixture';
import type { Desk } from './circulation-commands';
import type { ModelLibrary } from './circulation-reference-model';
import { localDate, plusDays, type Closure } from './model-calendar';
import { snapshotQuery, type Snapshot } from './model-snapshot';

// One lane of the circulation model test: a small consortium of its own (its own database and
// API), put back to its starting state before each run and checked after each step. Lanes run
// side by side so that the API of one works while the database answers another.

export const start = new Date('2025-03-03T15:00:00Z');
export const libraries: readonly ModelLibrary[] = [
  { code: 'A', lends: true },
  { code: 'B', lends: true },
  { code: 'C', lends: true },
  { code: 'D', lends: false },
  { code: 'S1', lends: true },
  { code: 'S2', lends: true },
];
export const startItems = [
  { barcode: '31000001', owner: 'A' },
  { barcode: '32000001', owner: 'B' },
  { barcode: '33000001', owner: 'C' },
  { barcode: '35000001', owner: 'S1' },
  { barcode: '31000002', owner: 'A' },
  { barcode: '34000001', owner: 'D' },
];
export const firstNewBarcode = 39000001;

/** Closed dates of a run, as days from the start. */
export type ClosureSpec = { library: number; from: number; days: number }[];

export interface Lane {
  f: ConsortiumFixture;
  desk: Desk;
  patrons: { barcode: string; home: string }[];
}

/**
 * The check as a plpgsql function: its plan is made once per connection, not once per step. The
 * tables are never analyzed in a test, so the planner guesses them large and would JIT-compile
 * every step's check (30 ms, where running it takes 2): jit stays off for it.
 */
const checkFunction = `
  CREATE FUNCTION model_check() RETURNS jsonb LANGUAGE plpgsql STABLE SET jit = off AS $check$
  BEGIN
    RETURN jsonb_build_object(
      'broken', (SELECT coalesce(jsonb_agg(to_jsonb(b)), '[]'::jsonb) FROM (${brokenInvariantsQuery}) b),
      'state', (${snapshotQuery}));
  END $check$`;

export async function openLane(randomSeed: number): Promise<Lane> {
  const random = seededRandom(randomSeed);
  const f = await createConsortiumFixture(start, { random: () => random.next() });
  const recordId = (await f.admin.post('/records', { title: 'The Maine Woods' })).body.id;
  const desk: Desk = { admin: f.admin, recordId, circ: (code) => f.staff(code, 'circ'), cataloger: (code) => f.staff(code, 'cat') };
  for (const { barcode, owner } of startItems) {
    const res = await (await desk.cataloger(owner)).post('/items', { recordId, libraryCode: owner, callNumber: 'F THO', barcode, catalogedAt: '2024-01-01' });
    if (res.status !== 201) throw new Error(`could not add item ${barcode}: ${res.text}`);
  }
  const patrons: { barcode: string; home: string }[] = Object.values(fixturePatrons).map((p) => ({ barcode: p.barcode, home: p.homeLibraryCode }));
  for (const home of ['S1', 'S2', 'B']) patrons.push({ barcode: (await createTestPatron(await desk.circ('A'), { homeLibraryCode: home })).barcode, home });
  await sql.raw(checkFunction).execute(f.t.connection.db);
  return { f, desk, patrons };
}

/** Back to the starting state: every copy on its own shelf, no holds, loans or transits, the clock at the start. */
export async function resetLane(lane: Lane, closures: ClosureSpec): Promise<Record<string, Closure[]>> {
  const base = startItems.map((i) => `'${i.barcode}'`).join(', ');
  await sql.raw(`
    DELETE FROM notices; DELETE FROM library_messages; DELETE FROM events WHERE hold_id IS NOT NULL OR loan_id IS NOT NULL OR transit_id IS NOT NULL;
    DELETE FROM hold_targetings; DELETE FROM hold_exclusions; DELETE FROM events WHERE item_id IS NOT NULL AND kind <> 'item-created';
    DELETE FROM transits; DELETE FROM loans; DELETE FROM holds;
    DELETE FROM events WHERE item_id IN (SELECT id FROM items WHERE barcode NOT IN (${base})); DELETE FROM items WHERE barcode NOT IN (${base});
    UPDATE items SET status = 'available', current_library_id = owning_library_id, circulation_count = 0;`).execute(lane.f.t.connection.db);
  // a run deletes and rewrites these tables thousands of times; a server without autovacuum
  // (CI's may run with it off) would drag the dead rows through every later step
  await sql.raw('VACUUM ANALYZE items, holds, loans, transits, events, hold_targetings, hold_exclusions, notices, library_messages').execute(lane.f.t.connection.db);
  const clock = await lane.f.admin.post('/admin/clock', { now: start.toISOString() });
  if (clock.status !== 200) throw new Error(`could not set the clock: ${clock.text}`);
  const byLibrary: Record<string, Closure[]> = Object.fromEntries(libraries.map((l) => [l.code, []]));
  for (const c of closures) {
    const from = plusDays(localDate(start), c.from);
    byLibrary[libraries[c.library].code].push({ from, to: plusDays(from, c.days - 1) });
  }
  for (const [code, closedDates] of Object.entries(byLibrary)) {
    const res = await lane.f.admin.patch(`/libraries/${code}`, { closedDates });
    if (res.status !== 200) throw new Error(`could not close ${code}: ${res.text}`);
  }
  return byLibrary;
}

/** The invariants and the snapshot in one round trip. */
export async function checkLane(lane: Lane): Promise<{ broken: Record<string, unknown[]>; state: Snapshot }> {
  const { rows } = await sql<{ checked: { broken: { invariant: string; row: unknown }[]; state: Snapshot } }>`SELECT model_check() AS checked`.execute(lane.f.t.connection.db);
  return { broken: groupBroken(rows[0].checked.broken), state: rows[0].checked.state };
}
