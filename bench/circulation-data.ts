import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema';
import { hashPassword } from '../src/services/passwords';

// What the desk benchmarks need on top of the targeting data, loaded set-based: an open loan for
// every checked-out item (due dates spread around "now", some overdue), a year of returned loans
// (the history reports and the balanced policy read), and one circulation login per library.
// Loans go to patrons drawn from all of them.

export const benchStaffPassword = 'bench-staff-password';

export interface DeskData {
  /** Circulation staff user name per library code. */
  staff: Map<string, string>;
  steps: { step: string; ms: number; rows: number }[];
}

/** `seed` is mixed into every pseudo-random choice, as in the targeting data. */
export async function loadCirculationData(db: Kysely<Database>, now: Date, historyPerItem: number, seed = 0): Promise<DeskData> {
  if (!Number.isSafeInteger(seed)) throw new Error(`not an integer seed: ${seed}`);
  const steps: DeskData['steps'] = [];
  const nowSql = `TIMESTAMPTZ '${now.toISOString()}'`;
  const step = async (name: string, work: () => Promise<number>): Promise<void> => {
    const started = performance.now();
    const rows = await work();
    steps.push({ step: name, ms: performance.now() - started, rows });
  };
  const run = async (text: string): Promise<number> => Number((await sql.raw(text).execute(db)).numAffectedRows ?? 0);
  const patrons = (await sql<{ lo: number; hi: number }>`SELECT min(id)::int AS lo, max(id)::int AS hi FROM patrons`.execute(db)).rows[0];
  const span = patrons.hi - patrons.lo + 1;

  await step('open loans', () =>
    run(`INSERT INTO loans (item_id, patron_id, library_id, checked_out_at, due_date)
      SELECT i.id, ${patrons.lo} + (hashint4(i.id # 41 # ${seed}) & 2147483647) % ${span}, i.owning_library_id,
        ${nowSql} - interval '1 hour' * ((hashint4(i.id # 42 # ${seed}) & 2147483647) % (24 * 30)),
        (${nowSql} - interval '1 hour' * ((hashint4(i.id # 42 # ${seed}) & 2147483647) % (24 * 30)))::date + 21
      FROM items i WHERE i.status = 'checked-out'`),
  );
  await step('loan history', () =>
    run(`INSERT INTO loans (item_id, patron_id, library_id, checked_out_at, due_date, returned_at, returned_library_id)
      SELECT i.id, ${patrons.lo} + (hashint4(i.id # (50 + k) # ${seed}) & 2147483647) % ${span}, i.owning_library_id, t.out_at, t.out_at::date + 21,
        t.out_at + interval '1 day' * (3 + (hashint4(i.id # (60 + k) # ${seed}) & 2147483647) % 20), i.owning_library_id
      FROM items i, generate_series(1, ${historyPerItem}) k,
        LATERAL (SELECT ${nowSql} - interval '1 day' * (45 + (hashint4(i.id # (70 + k) # ${seed}) & 2147483647) % 320) AS out_at) t`),
  );
  // a third of past loans filled a hold: the hold events the reports read, as the services write them
  await step('hold events', () =>
    run(`INSERT INTO events (at, kind, hold_id, patron_id, item_id, record_id, library_id, data)
      SELECT e.at, e.kind, 100000000 + l.id, l.patron_id, l.item_id, i.record_id, e.library_id,
        CASE WHEN e.kind = 'hold-captured' THEN jsonb_build_object('pickupLibrary', home.code, 'lendingLibrary', owner.code)
        ELSE jsonb_build_object('patron', jsonb_build_object('barcode', p.barcode, 'name', p.first_name || ' ' || p.last_name),
          'homeLibrary', home.code, 'title', r.title, 'pickupLibrary', home.code)
          || CASE WHEN e.kind = 'hold-fulfilled' THEN jsonb_build_object('lendingLibrary', owner.code) ELSE '{}'::jsonb END END
      FROM loans l
      JOIN items i ON i.id = l.item_id JOIN records r ON r.id = i.record_id JOIN libraries owner ON owner.id = i.owning_library_id
      JOIN patrons p ON p.id = l.patron_id JOIN libraries home ON home.id = p.home_library_id
      CROSS JOIN LATERAL (VALUES
        (l.checked_out_at - interval '3 days', 'hold-placed', home.id),
        (l.checked_out_at - interval '2 days', 'hold-captured', owner.id),
        (l.checked_out_at, 'hold-fulfilled', home.id)) AS e(at, kind, library_id)
      WHERE l.returned_at IS NOT NULL AND (hashint4(l.id # 91 # ${seed}) & 2147483647) % 3 = 0`),
  );
  await step('circulation counts', () =>
    run(`UPDATE items i SET circulation_count = c.n FROM (SELECT item_id, count(*)::int AS n FROM loans GROUP BY item_id) c WHERE c.item_id = i.id`),
  );
  const staff = new Map<string, string>();
  await step('desk staff', async () => {
    const hash = await hashPassword(benchStaffPassword);
    const libraries = await db.selectFrom('libraries').select(['id', 'code']).where('kind', '=', 'library').execute();
    await db
      .insertInto('staff')
      .values(libraries.map((l) => ({ username: `circ-${l.code.toLowerCase()}`, password_hash: hash, library_id: l.id, role: 'circulation' as const })))
      .execute();
    for (const l of libraries) staff.set(l.code, `circ-${l.code.toLowerCase()}`);
    return libraries.length;
  });
  await step('vacuum analyze', async () => {
    await sql`VACUUM ANALYZE`.execute(db);
    return 0;
  });
  return { staff, steps };
}
