import { sql, type Kysely } from 'kysely';

// The pull list starts from the library's available items: a targeted item always sits available
// on the shelf of its current library, and the index of targeted items (holds_one_target_per_item)
// then says which of them a hold waits for. Before, the list read every item of the consortium.
//
// One index more for a scan to write, so it is the smallest that serves: the library alone, only
// for available items, and a library's many entries share one key (B-tree deduplication) — 1 MB
// for 200,000 items at benchmark scale 0.2. Adding the item id to it let the targeted items be
// found from the two indexes alone, but it was three times the size and slower, for the heap rows
// of the targeted items are then each fetched by id instead of read page by page.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX items_available_at ON items (current_library_id) WHERE status = 'available'`.execute(db);
}
