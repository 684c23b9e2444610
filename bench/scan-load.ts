import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema';
import { benchStaffPassword } from './circulation-data';

// Scans over HTTP against a real `tamarack serve` process, from concurrent desk clients, on the
// mix a library sees in a morning: returns (items on loan, mostly checked in at their own
// library), captures (pulled targets scanned at their owning library) and receipts (what the
// captures sent, scanned where it arrives). Each scan changes the item, so every job is used once.

export interface LoadResult {
  clients: number;
  seconds: number;
  scans: number;
  errors: number;
  byKind: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  tps: number;
  maxRssMb: number;
}

interface Job {
  kind: 'return' | 'capture' | 'receipt';
  barcode: string;
  library: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  rssMb(): number;
  stop(): Promise<void>;
}

/** `tamarack serve` on its own port against `databaseUrl`. */
export async function startServer(databaseUrl: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, 'bin/tamarack.js', 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('the server did not start within a minute');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    rssMb: () => {
      try {
        const line = readFileSync(`/proc/${child.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
        return line ? Number(line.replace(/\D+/g, '')) / 1024 : 0;
      } catch {
        return 0;
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login of ${username} failed: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

async function loadJobs(db: Kysely<Database>, limit: number): Promise<{ returns: Job[]; captures: Job[] }> {
  const { rows: returns } = await sql<{ barcode: string; code: string }>`
    SELECT i.barcode, CASE WHEN hashint4(i.id # 81) % 10 < 7 THEN o.code ELSE elsewhere.code END AS code
    FROM loans l JOIN items i ON i.id = l.item_id JOIN libraries o ON o.id = i.owning_library_id
    CROSS JOIN LATERAL (SELECT code FROM libraries WHERE kind = 'library' AND participates_in_lending
      ORDER BY hashint4(id # i.id) LIMIT 1) elsewhere
    WHERE l.returned_at IS NULL
    ORDER BY hashint4(i.id # 82) LIMIT ${limit}`.execute(db);
  const { rows: captures } = await sql<{ barcode: string; code: string }>`
    SELECT i.barcode, o.code FROM holds h JOIN items i ON i.id = h.target_item_id JOIN libraries o ON o.id = i.owning_library_id
    WHERE h.status = 'targeted' ORDER BY hashint4(i.id # 83) LIMIT ${limit}`.execute(db);
  return {
    returns: returns.map((r) => ({ kind: 'return', barcode: r.barcode, library: r.code })),
    captures: captures.map((r) => ({ kind: 'capture', barcode: r.barcode, library: r.code })),
  };
}

export async function runScanLoad(db: Kysely<Database>, server: RunningServer, staff: Map<string, string>, clients: number, seconds: number): Promise<LoadResult> {
  const cookies = new Map<string, string>();
  for (const [code, username] of staff) cookies.set(code, await signIn(server.url, username, benchStaffPassword));
  const { returns, captures } = await loadJobs(db, 200_000);
  const receipts: Job[] = [];
  const latencies: number[] = [];
  const byKind: Record<string, number> = { return: 0, capture: 0, receipt: 0 };
  let errors = 0;
  let turn = 0;
  const next = (): Job | undefined => {
    turn++;
    if (turn % 3 === 0 && receipts.length > 0) return receipts.shift();
    return (turn % 2 === 0 ? captures.shift() : returns.shift()) ?? returns.shift() ?? captures.shift() ?? receipts.shift();
  };
  let maxRss = server.rssMb();
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, server.rssMb())), 250);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async (): Promise<void> => {
    for (let job = next(); job && performance.now() < deadline; job = next()) {
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/v1/circulation/scan`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookies.get(job.library)! },
        body: JSON.stringify({ itemBarcode: job.barcode }),
      });
      const body = (await res.json()) as { action?: string; destination?: { code: string } };
      latencies.push(performance.now() - t0);
      if (res.status !== 200) {
        errors++;
        continue;
      }
      byKind[job.kind]++;
      if (body.action === 'transit' && body.destination && cookies.has(body.destination.code)) receipts.push({ kind: 'receipt', barcode: job.barcode, library: body.destination.code });
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    clients,
    seconds: elapsed,
    scans: latencies.length,
    errors,
    byKind,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0 },
    tps: latencies.length / elapsed,
    maxRssMb: maxRss,
  };
}
