import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type DatabaseKind = 'embedded' | 'postgres';

export interface Connection {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The embedded engine, for backups; absent on a server. */
  lite?: PGlite;
  close(): Promise<void>;
}

// Plain dates stay 'YYYY-MM-DD' strings: a JS Date would shift them by the process time zone.
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
function typeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === DATE_OID) return (value) => value;
  if (oid === NUMERIC_OID) return (value) => Number(value);
  if (oid === INT8_OID) return (value) => value;
  return pg.types.getTypeParser(oid, format as 'text');
}
const types = { getTypeParser: typeParser } as pg.CustomTypesConfig;

export async function connectPostgres(url: string, poolSize = 10): Promise<Connection> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // an idle connection the server ends (restart, failover) is replaced on next use; without a
  // listener its error would end the whole process
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

export interface EmbeddedOptions {
  /** A folder for the data; in memory when absent. */
  dataDir?: string;
  /** A tarball made by `dumpDataDir`, to start from (tests copy a template this way). */
  loadDataDir?: Blob | File;
}

export async function connectEmbedded(options: EmbeddedOptions = {}): Promise<Connection> {
  // The catalog search needs these (migration 005); PGlite loads an extension only when told here.
  const lite = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir, extensions: { pg_trgm, unaccent } });
  const pool = new pg.Pool({ ...createPgConfig(lite), max: 1, types });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'embedded',
    lite,
    async close() {
      await db.destroy();
      await lite.close();
    },
  };
}

export interface ConnectOptions {
  databaseUrl?: string;
  dataDir: string;
}

export function connect(options: ConnectOptions): Promise<Connection> {
  return options.databaseUrl
    ? connectPostgres(options.databaseUrl)
    : connectEmbedded({ dataDir: options.dataDir });
}
