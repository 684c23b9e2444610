import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectEmbedded, connectPostgres } from '../../src/db/connection';
import { migrateToLatest } from '../../src/db/migrate';
import { ensureConsortium } from '../../src/services/consortium';
import { adminPgUrl, pgUrlFor, testAdmin, testDatabaseKind } from './test-database-kind';

declare module 'vitest' {
  export interface ProvidedContext {
    templateFile: string;
    templateDatabase: string;
  }
}

// One template database per run, migrated and holding the consortium and its first admin;
// every test file copies it instead of building its own (DESIGN §3: cold start is slow).
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const seed = { name: 'Test Consortium', adminUser: testAdmin.username, adminPassword: testAdmin.password };
  if (testDatabaseKind() === 'embedded') {
    const dir = await mkdtemp(join(tmpdir(), 'tamarack-test-'));
    const connection = await connectEmbedded();
    await migrateToLatest(connection.db);
    await ensureConsortium(connection.db, seed, new Date());
    const dump = await connection.lite!.dumpDataDir('none');
    await connection.close();
    const file = join(dir, 'template.tar');
    await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    project.provide('templateFile', file);
    project.provide('templateDatabase', '');
    return () => rm(dir, { recursive: true, force: true });
  }
  const prefix = `tamarack_t${process.pid}`;
  const template = `${prefix}_template`;
  const admin = new pg.Client({ connectionString: adminPgUrl() });
  await admin.connect().catch((err: Error) => {
    throw new Error(`TAMARACK_TEST_DB=postgres but no PostgreSQL answers at ${adminPgUrl()}: ${err.message}`);
  });
  await admin.query(`CREATE DATABASE ${template}`);
  const connection = await connectPostgres(pgUrlFor(template), 2);
  await migrateToLatest(connection.db);
  await ensureConsortium(connection.db, seed, new Date());
  await connection.close();
  await admin.end();
  project.provide('templateFile', '');
  project.provide('templateDatabase', template);
  return async () => {
    const cleanup = new pg.Client({ connectionString: adminPgUrl() });
    await cleanup.connect();
    const { rows } = await cleanup.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
    for (const { datname } of rows) await cleanup.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await cleanup.end();
  };
}
