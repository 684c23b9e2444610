import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { connectEmbedded, connectPostgres, type Connection } from '../../src/db/connection';
import { adminPgUrl, pgUrlFor, testDatabaseKind } from './test-database-kind';

let copies = 0;

/** A fresh copy of the run's template database: migrated, with the consortium and its admin. */
export async function openTestDatabase(): Promise<Connection & { url?: string }> {
  if (testDatabaseKind() === 'embedded') {
    const tar = await readFile(inject('templateFile'));
    return connectEmbedded({ loadDataDir: new Blob([tar]) });
  }
  const copy = await copyTemplateDatabase();
  const connection = await connectPostgres(copy.url, 10);
  return {
    ...connection,
    url: copy.url,
    async close() {
      await connection.close();
      await copy.drop();
    },
  };
}

/** A PostgreSQL copy of the run's template database; `label` tells whose it is in its name. */
export async function copyTemplateDatabase(label?: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const template = inject('templateDatabase');
  const name = [template.replace(/_template$/, ''), ...(label ? [label] : []), process.pid, ++copies].join('_');
  await asAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    name,
    url: pgUrlFor(name),
    drop: () => asAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function asAdmin(work: (admin: pg.Client) => Promise<unknown>): Promise<void> {
  const admin = new pg.Client({ connectionString: adminPgUrl() });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}
