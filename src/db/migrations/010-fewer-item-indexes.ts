import { sql, type Kysely } from 'kysely';

// Fewer indexes for a scan to write: an item's status changes at every scan, and each of its
// indexes that holds the status takes a new entry each time. The lists of a library's own copies
// start from the owner alone (a library's copies are read whatever their status), and the
// record's own index is the leading part of the availability index the catalog search reads
// from the index alone (migration 005), so it goes.
//
// The availability index keeps the status although that rules out updating an item row in place
// (a heap-only update): without it the catalog search reads the status of every copy of up to
// a thousand matching records from the table, and at a million items its p95 went from 28 ms
// to 50 ms, past the search's limit (bench/results).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
DROP INDEX IF EXISTS items_owner_status;
DROP INDEX IF EXISTS items_record;
CREATE INDEX items_owner ON items (owning_library_id);
`.execute(db);
}
