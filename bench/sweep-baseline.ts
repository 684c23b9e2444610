import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema';

// The baseline the sweep is measured against: the database doing the least a sweep could do, in
// one bare statement — release the targets that are due, then give the n-th waiting hold of each
// record the n-th free available copy of that record. No explanations, events, closed days,
// nearness or policy: the time the data itself costs to touch. Run in a transaction that is
// rolled back, so the real sweep starts from the very same state.

export async function runSweepBaseline(db: Kysely<Database>, now: Date, retargetHours: number): Promise<{ ms: number; released: number; targeted: number }> {
  let released = 0;
  let targeted = 0;
  const started = performance.now();
  await db
    .transaction()
    .execute(async (trx) => {
      const due = new Date(now.getTime() - retargetHours * 3_600_000);
      const release = await sql`UPDATE holds SET status = 'waiting', target_item_id = NULL, targeted_at = NULL
        WHERE status = 'targeted' AND targeted_at <= ${due}`.execute(trx);
      released = Number(release.numAffectedRows ?? 0);
      const pair = await sql`
        WITH waiting AS (
          SELECT id, record_id, row_number() OVER (PARTITION BY record_id ORDER BY requested_at, id) AS n
          FROM holds WHERE status = 'waiting'
        ), free AS (
          SELECT i.id, i.record_id, row_number() OVER (PARTITION BY i.record_id ORDER BY i.id) AS n
          FROM items i
          WHERE i.status = 'available'
            AND NOT EXISTS (SELECT 1 FROM holds t WHERE t.target_item_id = i.id AND t.status = 'targeted')
        )
        UPDATE holds h SET status = 'targeted', target_item_id = free.id, targeted_at = ${now}
        FROM waiting JOIN free ON free.record_id = waiting.record_id AND free.n = waiting.n
        WHERE h.id = waiting.id`.execute(trx);
      targeted = Number(pair.numAffectedRows ?? 0);
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return { ms: performance.now() - started, released, targeted };
}

class RolledBack extends Error {}
