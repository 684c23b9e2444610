import { sql, type Kysely } from 'kysely';

// An item's status and whereabouts change at every scan; its indexes should not. With `status`
// in no index of items, PostgreSQL updates the row in place (a heap-only update): no new entry
// in any of the item indexes and no write-ahead log for them, which was most of what a return
// wrote to disk. The fill factor leaves each page room for the new row versions that needs.
//
// Search facets and the on-shelf filter read an item's status from the row after the
// (record, owning library) index has found it — a record has a handful of copies — and the
// lists of a library's own copies start from the owner index alone.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
DROP INDEX IF EXISTS items_owner_status;
DROP INDEX IF EXISTS items_record_library_status;
DROP INDEX IF EXISTS items_record;
CREATE INDEX items_owner ON items (owning_library_id);
CREATE INDEX items_record_library ON items (record_id, owning_library_id);
ALTER TABLE items SET (fillfactor = 85);
`.execute(db);
}
