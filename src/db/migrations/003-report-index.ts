import { sql, type Kysely } from 'kysely';

// The reports read the hold events, not the holds (see services/reports/hold-event-facts.ts).
//
// Events outlive the holds and transits they name: a retention purge of closed holds (and of
// their hold transits, which cannot exist without the hold) must leave the audit trail and the
// reports whole, so an event keeps the hold and transit numbers as plain numbers rather than
// references that would forbid the purge. The other references (patrons, items, loans) stay:
// a patron is anonymised, not deleted, and items and loans are not purged.
//
// A library's holds report starts from its own hold events in the period — those of its patrons
// (homeLibrary) and those its copies filled (lendingLibrary) — so it costs what the library did,
// not what the whole consortium did.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_hold_id_fkey;
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_transit_id_fkey;
CREATE INDEX events_hold_home ON events ((data->>'homeLibrary'), at)
  WHERE kind IN ('hold-placed', 'hold-fulfilled', 'hold-cancelled');
CREATE INDEX events_hold_lender ON events ((data->>'lendingLibrary'), at)
  WHERE kind IN ('hold-captured', 'hold-fulfilled', 'hold-cancelled');
CREATE INDEX events_hold_fulfilled ON events (at) WHERE kind = 'hold-fulfilled';
`.execute(db);
}
