import { sql, type Kysely } from 'kysely';

// A targeting's candidates are written once, in bulk by every sweep (one explanation for each
// hold it decides), and only ever read back whole for the hold screen: nothing queries inside
// them. As json they are stored as the text that came in, checked but not taken apart; as jsonb
// every sweep parsed each list into a tree and rebuilt it for storage. Measured at benchmark
// scale 1 (156,000 holds targeted in one sweep): about 8% of the sweep's time.
//
// The hold view reads the column, so it is recreated around the change from its own definition.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
DO $$
DECLARE
  view_sql text := pg_get_viewdef('hold_views'::regclass);
BEGIN
  DROP VIEW hold_views;
  ALTER TABLE hold_targetings
    ALTER COLUMN candidates DROP DEFAULT,
    ALTER COLUMN candidates TYPE json USING candidates::json,
    ALTER COLUMN candidates SET DEFAULT '[]'::json;
  EXECUTE 'CREATE VIEW hold_views AS ' || view_sql;
END $$`.execute(db);
}
