import type { NewHold } from '../src/services/holds/place-hold';
import { latencyOf } from './latency';
import type { RunningServer } from './server-under-test';

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
  const { p50, p95 } = latencyOf(times);
  return { name, runs, p50, p95, errors };
}

/** Holds placed one after the other at the desk of each hold's pickup library (`cookies` by library code). */
export function timePlacements(server: RunningServer, cookies: ReadonlyMap<string, string>, holds: readonly NewHold[]): Promise<Timing> {
  return timeRequests('hold placement', holds.length, (i) =>
    fetch(`${server.url}/api/v1/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookies.get(holds[i].pickupLibraryCode!)! },
      body: JSON.stringify(holds[i]),
    }),
  );
}
