import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumFixture, type ConsortiumFixture } from '../support/fixture';
import { desk } from '../support/desk';
import { testDatabaseKind } from '../support/test-database-kind';

// A scan decides on what it read, then writes only if the item, and the hold it captures or
// shelves, are still the rows it read (migration 011): a desk scanning another copy, or
// cancelling the hold, may change that hold meanwhile. Found by the load test (two copies
// capturing one waiting hold at once); here a cancel that commits while the scan's writes wait
// for the hold's row: the scan must decide again on what is there now, not overwrite it.

const onPostgres = testDatabaseKind() === 'postgres';
if (!onPostgres) console.warn("Skipping 'a scan racing a change of its hold': it runs in the PostgreSQL pass (TAMARACK_TEST_DB=postgres).");

describe.skipIf(!onPostgres)('a scan racing a change of its hold', () => {
  let f: ConsortiumFixture;
  beforeAll(async () => {
    f = await createConsortiumFixture();
  });
  afterAll(async () => {
    await f?.t.close();
  });

  it('does not capture a hold cancelled while it was deciding', async () => {
    const d = desk(f);
    const recordId = await d.title('Race', { A: 'RACE-A', B: 'RACE-B' });
    expect((await (await f.staff('A', 'circ')).post('/circulation/checkout', { patronBarcode: '21000002', itemBarcode: 'RACE-A' })).status).toBe(201);
    expect((await (await f.staff('B', 'circ')).post('/circulation/checkout', { patronBarcode: '22000001', itemBarcode: 'RACE-B' })).status).toBe(201);
    const hold = await d.holdFor('23000001', recordId, 'C');
    expect(hold.status).toBe('waiting');
    const bDesk = await f.staff('B', 'circ');
    const db = f.t.connection.db;

    const answer = await db.connection().execute(async (other) => {
      // another desk's transaction, caught between its change of the hold and its commit
      await sql`BEGIN`.execute(other);
      await sql`UPDATE holds SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'patron-request' WHERE id = ${hold.id}`.execute(other);
      const scan = bDesk.post('/circulation/scan', { itemBarcode: 'RACE-B' });
      for (let waited = 0; ; waited += 20) {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(db);
        if (rows[0].n > 0) break;
        if (waited > 10_000) throw new Error('the scan never waited for the hold');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await sql`COMMIT`.execute(other);
      return scan;
    });

    expect(answer.status, answer.text).toBe(200);
    // returned at its own library, with no hold waiting for it: back on the shelf
    expect(answer.body.action).toBe('shelve');
    const row = await db.selectFrom('holds').select(['status', 'captured_item_id']).where('id', '=', hold.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'cancelled', captured_item_id: null });
    const transits = await db.selectFrom('transits').select('id').where('hold_id', '=', hold.id).execute();
    expect(transits).toEqual([]);
  });
});
