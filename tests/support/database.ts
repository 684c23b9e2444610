import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { connectEmbedded, connectPostgres, type Connection } from '../../src/db/connection';
import { adminPgUrl, pgUrlFor, testDatabaseKind } from './test-database-kind';

let copies = 0;

/** A fresh copy of the run's template database: migrated, with the consortium and its admin. */
export async function openTestDatabase(): Promise<Connection> {
  if (testDatabaseKind() === 'embedded') {
    const tar = await readFile(inject('templateFile'));
    return connectEmbedded({ loadDataDir: new Blob([tar]) });
  }
  const template = inject('templateDatabase');
  const name = `${template.replace(/_template$/, '')}_${process.pid}_${++copies}`;
  const admin = new pg.Client({ connectionString: adminPgUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const connection = await connectPostgres(pgUrlFor(name), 10);
  return {
    ...connection,
    async close() {
      await connection.close();
      const cleanup = new pg.Client({ connectionString: adminPgUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
