import pg from 'pg';
import { connectEmbedded, connectPostgres, type Connection } from '../src/db/connection';
import { migrateToLatest } from '../src/db/migrate';
import { ensureConsortium } from '../src/services/consortium';

// The benchmark's own database: a fresh PostgreSQL database per run (created from the admin
// connection, dropped at the end even on failure), or an in-memory embedded one. Each run starts
// from the same empty, migrated state, so numbers from two runs compare.

export interface BenchDatabase {
  connection: Connection;
  /** The database's URL on a server (for side connections: progress, the pool); absent when embedded. */
  url?: string;
  name: string;
  /** Closes the connection and drops the database; a second call waits for the first. */
  dispose(): Promise<void>;
}

export function adminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function onAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const seed = { name: 'Bench Consortium', adminUser: 'admin', adminPassword: 'bench-admin-password' };

export async function openBenchDatabase(kind: 'postgres' | 'embedded', poolSize: number, now: Date): Promise<BenchDatabase> {
  if (kind === 'embedded') {
    const connection = await connectEmbedded();
    await migrateToLatest(connection.db);
    await ensureConsortium(connection.db, seed, now);
    let closing: Promise<void> | undefined;
    return { connection, name: 'embedded (in memory)', dispose: () => (closing ??= connection.close()) };
  }
  const name = `tamarack_bench_${process.pid}`;
  await onAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  let connection: Connection | undefined;
  let dropping: Promise<void> | undefined;
  // one promise for every caller, so that a signal handler and the normal exit path both wait
  // for the DROP instead of exiting while it runs
  const dispose = (): Promise<void> =>
    (dropping ??= (async () => {
      await connection?.close().catch(() => undefined);
      // BENCH_KEEP_DATABASE=1 leaves it for a closer look (EXPLAIN) after the run
      if (process.env.BENCH_KEEP_DATABASE === '1') return;
      await onAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    })());
  try {
    connection = await connectPostgres(urlFor(name), poolSize);
    await migrateToLatest(connection.db);
    await ensureConsortium(connection.db, seed, now);
    return { connection, url: urlFor(name), name, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * Counts transactions committed in the database every `everyMs`, so a long sweep shows its pace
 * while it runs (each hold is one transaction in the sweep). Server only: the embedded database
 * has one connection, busy with the work itself.
 */
export function watchCommits(url: string, label: string, everyMs = 15_000): () => Promise<void> {
  const client = new pg.Client({ connectionString: url });
  const started = Date.now();
  let first: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const read = async (): Promise<number> => {
    // a fresh snapshot of the statistics each time, not the transaction-cached one
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0].n);
  };
  const ready = client.connect().then(async () => {
    first = await read();
    timer = setInterval(() => {
      void read()
        .then((n) => {
          const secs = (Date.now() - started) / 1000;
          process.stderr.write(`  … ${label}: ${secs.toFixed(0)} s, ~${n - first!} transactions committed (${((n - first!) / secs).toFixed(0)}/s)\n`);
        })
        .catch(() => undefined);
    }, everyMs);
  });
  return async () => {
    await ready.catch(() => undefined);
    if (timer) clearInterval(timer);
    await client.end().catch(() => undefined);
  };
}
