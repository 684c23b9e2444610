import { sql, type Kysely } from 'kysely';

// The audit trail keeps every row it names as a plain number, as it already did for holds and
// transits (migration 003). Nothing events name is ever deleted (a lost or missing item keeps its
// row, a library is deactivated), so the references guarded against nothing the code can do, and
// each cost a row lock: every event locked its patron's, record's, item's and library's rows (FOR
// KEY SHARE, a write to each row's page), and many desks at once shared the lock on their
// library's row. Measured at benchmark scale 1, a full targeting sweep (156,000 holds targeted,
// as many events): 31 s before, 27 s after.
//
// A targeting's explanation names the copy it chose the same way (its barcode is in the
// explanation too). It stays bound to its hold, and goes with it if the hold is ever deleted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE events
  DROP CONSTRAINT IF EXISTS events_staff_id_fkey,
  DROP CONSTRAINT IF EXISTS events_actor_patron_id_fkey,
  DROP CONSTRAINT IF EXISTS events_library_id_fkey,
  DROP CONSTRAINT IF EXISTS events_item_id_fkey,
  DROP CONSTRAINT IF EXISTS events_patron_id_fkey,
  DROP CONSTRAINT IF EXISTS events_record_id_fkey,
  DROP CONSTRAINT IF EXISTS events_loan_id_fkey;
ALTER TABLE hold_targetings DROP CONSTRAINT IF EXISTS hold_targetings_chosen_item_id_fkey`.execute(db);
}
