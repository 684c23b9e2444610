import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// The database's own limit on this machine: pgbench's TPC-B-like transaction (5 statements, 3
// updates) from the same number of clients, on the same server, in a database of its own.
// The scan's throughput is reported as a share of it.

const run = promisify(execFile);

export interface PgbenchResult {
  clients: number;
  seconds: number;
  tps: number;
  latencyMs: number;
}

export async function runPgbench(databaseUrl: string, clients: number, seconds: number): Promise<PgbenchResult> {
  const url = new URL(databaseUrl);
  const env = { ...process.env, PGHOST: url.hostname, PGPORT: url.port || '5432', PGUSER: decodeURIComponent(url.username || 'postgres'), PGPASSWORD: decodeURIComponent(url.password) };
  const database = url.pathname.slice(1);
  await run('pgbench', ['-i', '-q', '-s', '10', database], { env });
  const { stdout } = await run('pgbench', ['-b', 'tpcb-like', '-c', String(clients), '-j', '2', '-T', String(seconds), '-n', database], { env, maxBuffer: 10_000_000 });
  const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
  return { clients, seconds, tps, latencyMs };
}
