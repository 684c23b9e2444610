import { describe, expect, it } from 'vitest';
import { dateAt } from './zoned-time';

// dateAt keeps the local days it has met; whatever it has kept, it must answer exactly what the
// time-zone rules say — on clock-change days, around midnight, and in zones off the whole hour.

const reference = (at: Date, timezone: string): string => at.toLocaleDateString('en-CA', { timeZone: timezone });

const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago', 'Pacific/Chatham', 'America/Havana', 'UTC', 'Asia/Tokyo'];

/** Instants around the clock changes of 2025 and local midnights, plus a steady sweep of the year. */
function instants(): number[] {
  const out: number[] = [];
  const start = Date.UTC(2025, 0, 1);
  for (let t = start; t < Date.UTC(2026, 0, 1); t += 187 * 60_000 + 13_000) out.push(t);
  // every 10 minutes over the days of the usual clock changes, both hemispheres
  for (const [y, m, d] of [[2025, 2, 8], [2025, 2, 29], [2025, 3, 5], [2025, 8, 6], [2025, 9, 25], [2025, 10, 1]]) {
    const from = Date.UTC(y, m, d);
    for (let t = from; t < from + 2 * 86_400_000; t += 10 * 60_000) out.push(t, t + 59_999, t - 1);
  }
  return out;
}

describe('dateAt', () => {
  it.each(zones)('answers the local date of every instant in %s, first met or kept', (zone) => {
    const all = instants();
    // a fixed shuffle: days are met in no particular order, as the sweep meets them
    const shuffled = all.map((t, i) => ({ t, k: (i * 2654435761) % 4294967296 })).sort((a, b) => a.k - b.k).map((x) => x.t);
    for (const t of [...shuffled, ...all]) {
      const at = new Date(t);
      const want = reference(at, zone);
      if (dateAt(at, zone) !== want) expect(`${at.toISOString()} in ${zone}: ${dateAt(at, zone)}`).toBe(`${at.toISOString()} in ${zone}: ${want}`);
    }
  });
});
