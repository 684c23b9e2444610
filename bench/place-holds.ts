import type { Kysely } from 'kysely';
import type { StaffActor } from '../src/domain/actor';
import { seededRandom } from '../src/domain/seeded-random';
import type { Database } from '../src/db/schema';
import type { Clock } from '../src/services/clock';
import { placeHold, type NewHold } from '../src/services/holds/place-hold';
import type { PlacingPatron } from './targeting-data';

// Phase A: holds placed one by one through the real service, as the desk or the catalog would —
// each call is its own transaction that places, targets (with its explanation) and reads back
// the hold view. Titles are drawn with the same popularity skew as the loaded queues, so some
// placements land on bestsellers with long queues and many copies.

export interface PlacementResult {
  placed: number;
  targeted: number;
  refused: Record<string, number>;
  failed: number;
  ms: number;
}

/** Five holds per patron on distinct titles, drawn with a fixed seed. */
export function planHolds(patrons: readonly PlacingPatron[], count: number, recordBase: number, records: number, seed: number): NewHold[] {
  const random = seededRandom(seed);
  const holds: NewHold[] = [];
  const seen = new Set<string>();
  for (let n = 0; holds.length < count; n++) {
    const patron = patrons[Math.floor(holds.length / 5) % patrons.length];
    const recordId = recordBase + Math.min(records - 1, Math.floor(records * random.next() ** 3));
    const key = `${patron.barcode}:${recordId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    holds.push({ patronBarcode: patron.barcode, type: 'title', recordId, pickupLibraryCode: patron.homeCode });
  }
  return holds;
}

/** Places `holds` with `workers` concurrent callers (1 = strictly one after the other). */
export async function placeAll(
  db: Kysely<Database>,
  clock: Clock,
  actor: StaffActor,
  holds: readonly NewHold[],
  workers: number,
  seed: number,
  stop: AbortSignal,
): Promise<PlacementResult> {
  const random = seededRandom(seed);
  const ctx = { db, clock, actor, random: random.next };
  const result: PlacementResult = { placed: 0, targeted: 0, refused: {}, failed: 0, ms: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < holds.length && !stop.aborted) {
      const input = holds[next++];
      try {
        const placed = await placeHold(ctx, input);
        if (placed.ok) {
          result.placed++;
          if (placed.value.status === 'targeted') result.targeted++;
        } else {
          result.refused[placed.refusal.code] = (result.refused[placed.refusal.code] ?? 0) + 1;
        }
      } catch (error) {
        // a concurrent caller can still lose a race at a unique index; count it, keep going
        result.failed++;
        if (result.failed <= 3) process.stderr.write(`  placeHold failed: ${(error as Error).message}\n`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, worker));
  result.ms = performance.now() - started;
  return result;
}
