// Which database the suite runs on: the embedded one by default, a PostgreSQL server with
// TAMARACK_TEST_DB=postgres (at TAMARACK_TEST_PG_URL, default the local server's `test` database).
export type TestDatabaseKind = 'embedded' | 'postgres';

export function testDatabaseKind(): TestDatabaseKind {
  return process.env.TAMARACK_TEST_DB === 'postgres' ? 'postgres' : 'embedded';
}

export function adminPgUrl(): string {
  return process.env.TAMARACK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export function pgUrlFor(database: string): string {
  const url = new URL(adminPgUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** The template's login for the first consortium administrator. */
export const testAdmin = { username: 'admin', password: 'admin-password' };

/** Whether a PostgreSQL server answers at TAMARACK_TEST_PG_URL (tests that need one skip otherwise). */
export async function postgresAvailable(): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminPgUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
