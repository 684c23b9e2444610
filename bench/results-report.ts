import { mkdirSync, writeFileSync } from 'node:fs';
import type { ConsortiumSizes } from './consortium-data';
import type { Machine } from './machine';
import type { Measured, Target } from './targets';

// bench/results/latest.json (everything measured, for comparing runs) and latest.md (the same
// for a reader: the machine, how long each load step took, each target met or missed).

export interface BenchResult extends Measured {
  at: string;
  seed: number;
  machine: Machine;
  sizes: ConsortiumSizes;
  load: { seconds: number; steps: { step: string; ms: number; rows: number }[] };
  sweep: Measured['sweep'] & { summary: unknown; baselineMs: number };
  targets: Target[];
}

const n = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const seconds = (ms: number): string => `${n(ms / 1000, 1)} s`;

function verdict(t: Target): string {
  if (t.limit === null) return '';
  if (t.met === null) return 'not judged below scale 1';
  return t.met ? 'met' : '**missed**';
}

export function markdown(r: BenchResult): string {
  const m = r.machine;
  const e = r.embedded;
  const stepRows = (steps: BenchResult['load']['steps']) => steps.map((s) => `| ${s.step} | ${s.rows ? n(s.rows) : ''} | ${seconds(s.ms)} |`);
  return [
    `# Tamarack benchmark, scale ${r.scale}`,
    '',
    `${r.at}; seed ${r.seed}; whole run ${n(r.totalSeconds / 60, 1)} min.`,
    '',
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB; load average ${m.loadAverage.join(' / ')} when the run began; Node ${m.node}.`,
    `PostgreSQL ${m.postgres.version}: ${Object.entries(m.postgres.settings).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    `Consortium: ${r.sizes.libraries} libraries, ${n(r.sizes.records)} records (${n(r.importRate.records)} through the importer, the rest repeated in SQL; ` +
      `${n(r.importRate.base)} distinct real records from ${r.importRate.source}), ${n(r.sizes.items)} items, ${n(r.sizes.patrons)} patrons, ` +
      `${n(r.sizes.openHolds)} open holds, a year of loans. Embedded: the same at scale ${e.scale}, in memory (PGlite, PostgreSQL ${e.postgres}).`,
    '',
    '| target | measured | limit | |',
    '|---|---:|---|---|',
    ...r.targets.map((t) => `| ${t.what} | ${n(t.value, 1)} ${t.unit} | ${t.limit === null ? '' : `${t.limit} ${t.unit}`} | ${verdict(t)} |`),
    '',
    `Errors: ${r.scans.errors} of ${n(r.scans.scans)} scans, ${r.requests.reduce((a, t) => a + t.errors, 0)} in the desk requests; ` +
      `embedded ${e.scans.errors} of ${n(e.scans.scans)} scans, ${e.placement.errors} placements.`,
    '',
    '| catalog search, by kind | count | found | p50 ms | p95 ms | max ms |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.search.byKind.map((k) => `| ${k.kind} | ${k.count} | ${n(k.foundShare * 100)}% | ${n(k.p50, 1)} | ${n(k.p95, 1)} | ${n(k.max, 1)} |`),
    '',
    `| load step (PostgreSQL, ${seconds(r.load.seconds * 1000)}) | rows | time |`,
    '|---|---:|---:|',
    ...stepRows(r.load.steps),
    '',
    `| load step (embedded, ${seconds(e.loadMs)}) | rows | time |`,
    '|---|---:|---:|',
    ...stepRows(e.steps),
    '',
  ].join('\n');
}

/** Writes both files and returns the Markdown. */
export function writeResults(result: BenchResult): string {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
  const md = markdown(result);
  writeFileSync('bench/results/latest.md', md);
  return md;
}
