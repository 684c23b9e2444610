import { cpus, loadavg, totalmem } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema';

// What a result depends on besides the code: the machine, how busy it already was (other work on
// the same cores shows up in every number), and the PostgreSQL server's settings that matter
// most for a write-heavy desk load.

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  /** 1-, 5- and 15-minute load averages when the run began. */
  loadAverage: number[];
  node: string;
  postgres: { version: string; settings: Record<string, string> };
}

const settings = [
  'shared_buffers',
  'effective_cache_size',
  'work_mem',
  'maintenance_work_mem',
  'synchronous_commit',
  'fsync',
  'wal_level',
  'max_wal_size',
  'checkpoint_timeout',
  'max_connections',
  'random_page_cost',
  'jit',
  'autovacuum',
];

export async function describeMachine(db: Kysely<Database>): Promise<Machine> {
  const version = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(db)).rows[0].v;
  const { rows } = await sql<{ name: string; value: string }>`
    SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY(${settings}::text[]) ORDER BY name`.execute(db);
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    node: process.version,
    postgres: { version, settings: Object.fromEntries(rows.map((r) => [r.name, r.value])) },
  };
}
