import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';

// A cheap picture of everything a request could change: per table its row count (a row added
// or deleted) and its newest row version's transaction id (a row written, even to the same
// values). Sessions and sign-in failures are left out: a failed sign-in is counted on purpose.

const watched = [
  'consortium',
  'libraries',
  'library_closed_dates',
  'shelving_locations',
  'staff',
  'patrons',
  'records',
  'volumes',
  'items',
  'holds',
  'hold_exclusions',
  'hold_targetings',
  'transits',
  'loans',
  'events',
  'notices',
  'library_messages',
  'jobs',
] as const;

const query = watched.map((table) => `(SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM ${table})`).join(` || ',' || `);

export async function databaseFingerprint(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ f: string }>`SELECT ${sql.raw(query)} AS f`.execute(db);
  return rows[0].f;
}
