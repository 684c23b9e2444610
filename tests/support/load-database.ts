import pg from 'pg';
import { inject } from 'vitest';
import { connectPostgres, type Connection } from '../../src/db/connection';
import { adminPgUrl, pgUrlFor } from './test-database-kind';

// A PostgreSQL database of its own for real `tamarack serve` processes: a copy of the run's
// template (migrated, with the consortium and its first admin), reachable by URL.

export interface LoadDatabase {
  /** DATABASE_URL for the server processes. */
  url: string;
  /** The test's own connection, to check the database after the load. */
  connection: Connection;
  drop(): Promise<void>;
}

let copies = 0;

export async function createLoadDatabase(label: string): Promise<LoadDatabase> {
  const template = inject('templateDatabase');
  const name = `${template.replace(/_template$/, '')}_${label}_${process.pid}_${++copies}`;
  const admin = new pg.Client({ connectionString: adminPgUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = pgUrlFor(name);
  const connection = await connectPostgres(url, 2);
  return {
    url,
    connection,
    async drop() {
      await connection.close();
      const cleanup = new pg.Client({ connectionString: adminPgUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
