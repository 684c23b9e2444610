import { percentile } from './scan-load';

// Timing of read requests staff make many times a day (pull list, holds shelf, a month's holds
// report) and of hold placement, over HTTP against the running server, as median and p95.

export interface Timing {
  name: string;
  runs: number;
  p50: number;
  p95: number;
  errors: number;
}

export async function timeRequests(name: string, runs: number, request: (i: number) => Promise<Response>): Promise<Timing> {
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await request(i);
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status >= 400) {
      errors++;
      if (errors <= 2) process.stderr.write(`  ${name}: ${res.status}\n`);
    }
  }
  times.sort((a, b) => a - b);
  return { name, runs, p50: percentile(times, 50), p95: percentile(times, 95), errors };
}
