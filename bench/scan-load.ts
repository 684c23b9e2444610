import { Agent, request } from 'node:http';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema';
import { latencyOf, type Latency } from './latency';
import type { RunningServer } from './server-under-test';

// Scans over HTTP against the server under test, from concurrent desk clients, on the
// mix a library sees in a morning: returns (items on loan, mostly checked in at their own
// library), captures (pulled targets scanned at their owning library) and receipts (what the
// captures sent, scanned where it arrives). Each scan changes the item, so every job is used once.

export interface LoadResult {
  clients: number;
  seconds: number;
  scans: number;
  errors: number;
  byKind: Record<string, number>;
  latencyMs: Latency;
  tps: number;
  maxRssMb: number;
}

interface Job {
  kind: 'return' | 'capture' | 'receipt';
  barcode: string;
  library: string;
}

async function loadJobs(db: Kysely<Database>, limit: number): Promise<{ returns: Job[]; captures: Job[] }> {
  const { rows: returns } = await sql<{ barcode: string; code: string }>`
    SELECT i.barcode, CASE WHEN (hashint4(i.id # 81) & 2147483647) % 10 < 7 THEN o.code ELSE elsewhere.code END AS code
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

/**
 * One POST on a kept-alive connection. Node's own http client rather than fetch: the load
 * generator shares the machine with the server and the database, and fetch costs it about twice
 * the processor time per request, taken from what is measured.
 */
function postJson(agent: Agent, url: URL, body: string, cookie: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `cookies`: a desk session per library code (signInDesks). */
export async function runScanLoad(db: Kysely<Database>, server: RunningServer, cookies: ReadonlyMap<string, string>, clients: number, seconds: number): Promise<LoadResult> {
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
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const scanUrl = new URL(`${server.url}/api/v1/circulation/scan`);
  const client = async (): Promise<void> => {
    for (let job = next(); job && performance.now() < deadline; job = next()) {
      const t0 = performance.now();
      const res = await postJson(agent, scanUrl, JSON.stringify({ itemBarcode: job.barcode }), cookies.get(job.library)!);
      const body = res.json as { action?: string; destination?: { code: string } };
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
  agent.destroy();
  const elapsed = (performance.now() - started) / 1000;
  return {
    clients,
    seconds: elapsed,
    scans: latencies.length,
    errors,
    byKind,
    latencyMs: latencyOf(latencies),
    tps: latencies.length / elapsed,
    maxRssMb: maxRss,
  };
}
