import type { ImportRate } from './consortium-records';
import type { Timing } from './desk-requests';
import type { EmbeddedResult } from './embedded-phase';
import type { PgbenchResult } from './pgbench';
import type { LoadResult } from './scan-load';
import type { SearchTimings } from './search-mix';

// The limits of the performance issue, all on a 2-core machine, and what was measured against
// them. A line without a limit is measured for the record: it explains the others. The sweep's
// limit is for 200,000 open holds and shrinks with the scale; the whole run is judged only at
// full scale, where its length is what the limit is about.

export interface Target {
  what: string;
  value: number;
  unit: string;
  /** "< 20"; null for a measurement without a limit. */
  limit: string | null;
  /** null when not judged. */
  met: boolean | null;
}

export interface Measured {
  scale: number;
  scans: LoadResult;
  pgbench: PgbenchResult;
  requests: Timing[];
  search: SearchTimings;
  importRate: ImportRate;
  sweep: { ms: number; openHolds: number; ratio: number };
  embedded: EmbeddedResult;
  totalSeconds: number;
}

export function judge(m: Measured): Target[] {
  const timing = (prefix: string): Timing => m.requests.find((t) => t.name.startsWith(prefix))!;
  const below = (what: string, value: number, unit: string, limit: number): Target => ({ what, value, unit, limit: `< ${limit}`, met: value < limit });
  const info = (what: string, value: number, unit: string): Target => ({ what, value, unit, limit: null, met: null });
  const shareOfPgbench = (100 * m.scans.tps) / m.pgbench.tps;
  const sweepLimit = 30 * m.scale;
  return [
    below(`scan p95, ${m.scans.clients} clients over HTTP`, m.scans.latencyMs.p95, 'ms', 20),
    { what: 'scan tps ÷ pgbench tps', value: shareOfPgbench, unit: '%', limit: '≥ 35', met: shareOfPgbench >= 35 },
    info('scan tps', m.scans.tps, '/s'),
    below('hold placement p95', timing('hold placement').p95, 'ms', 30),
    {
      what: `full sweep of ${m.sweep.openHolds.toLocaleString('en-US')} open holds`,
      value: m.sweep.ms / 1000,
      unit: 's',
      limit: `< ${Number(sweepLimit.toFixed(2))}`,
      met: m.sweep.ms / 1000 < sweepLimit,
    },
    info('sweep ÷ bare set-based statement', m.sweep.ratio, '×'),
    below('pull list p50', timing('pull list').p50, 'ms', 50),
    below('holds report for a month, p50', timing('holds report').p50, 'ms', 500),
    below(`catalog search p95 (${m.search.all.count} searches over HTTP)`, m.search.all.p95, 'ms', 50),
    info('catalog search p50', m.search.all.p50, 'ms'),
    info(`import rate (${m.importRate.records.toLocaleString('en-US')} records, ${m.importRate.items.toLocaleString('en-US')} items)`, m.importRate.recordsPerSecond, 'records/s'),
    below(`embedded scan p95 (scale ${m.embedded.scale}, 1 client)`, m.embedded.scans.latencyMs.p95, 'ms', 30),
    info('embedded scan p50', m.embedded.scans.latencyMs.p50, 'ms'),
    info('embedded hold placement p95', m.embedded.placement.p95, 'ms'),
    info('embedded hold placement p50', m.embedded.placement.p50, 'ms'),
    below('server RSS during the scans', m.scans.maxRssMb, 'MB', 500),
    { what: 'whole benchmark', value: m.totalSeconds / 60, unit: 'min', limit: '< 30', met: m.scale === 1 ? m.totalSeconds < 30 * 60 : null },
  ];
}
