import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random';
import { brokenInvariants } from '../support/circulation-invariants';
import { createConsortiumFixture, fixturePatrons, type ConsortiumFixture } from '../support/fixture';

// Random sequences of the desk's operations — place, scan, check out, cancel, redirect, cancel
// transit — over a small consortium, with the consortium's invariants checked after every step:
// each item is in exactly one place and status, no hold is filled twice, every open transit
// has one destination, and each item's circulation count equals its checkouts and renewals.
// Sized by TAMARACK_MODEL_RUNS and TAMARACK_MODEL_STEPS (quick by default).

const runs = Number(process.env.TAMARACK_MODEL_RUNS ?? 4);
const steps = Number(process.env.TAMARACK_MODEL_STEPS ?? 25);
const libraries = ['A', 'B', 'C', 'D', 'S1', 'S2'] as const;
const items = ['31000001', '32000001', '33000001', '35000001', '31000002', '34000001'];
const owners: Record<string, string> = { '31000001': 'A', '32000001': 'B', '33000001': 'C', '35000001': 'S1', '31000002': 'A', '34000001': 'D' };
const patrons = Object.values(fixturePatrons).map((p) => p.barcode);

let f: ConsortiumFixture;
let recordId: number;

beforeAll(async () => {
  const random = seededRandom(99);
  f = await createConsortiumFixture(undefined, { random: () => random.next() });
  recordId = (await f.admin.post('/records', { title: 'The Maine Woods' })).body.id;
  for (const barcode of items) {
    const res = await (await f.staff(owners[barcode], 'cat')).post('/items', { recordId, libraryCode: owners[barcode], callNumber: 'F THO', barcode, catalogedAt: '2024-01-01' });
    expect(res.status).toBe(201);
  }
}, 120_000);
afterAll(() => f.t.close());

type Command =
  | { op: 'place'; patron: number; pickup: number }
  | { op: 'scan'; item: number; at: number }
  | { op: 'checkout'; item: number; patron: number; at: number; override: boolean }
  | { op: 'renew'; item: number }
  | { op: 'cancel'; hold: number }
  | { op: 'redirect'; hold: number }
  | { op: 'cancel-transit'; item: number };

const index = (n: number) => fc.nat({ max: n - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('place' as const), patron: index(patrons.length), pickup: index(libraries.length) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('scan' as const), item: index(items.length), at: index(libraries.length) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('checkout' as const), item: index(items.length), patron: index(patrons.length), at: index(libraries.length), override: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('renew' as const), item: index(items.length) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('cancel' as const), hold: fc.nat({ max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('redirect' as const), hold: fc.nat({ max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel-transit' as const), item: index(items.length) }) },
);

/** Back to the starting state: every copy on its own shelf, no holds, loans or transits. */
async function reset(): Promise<void> {
  await sql.raw(`
    DELETE FROM notices; DELETE FROM library_messages; DELETE FROM events WHERE hold_id IS NOT NULL OR loan_id IS NOT NULL OR transit_id IS NOT NULL;
    DELETE FROM hold_targetings; DELETE FROM hold_exclusions; DELETE FROM events WHERE item_id IS NOT NULL AND kind <> 'item-created';
    DELETE FROM transits; DELETE FROM loans; DELETE FROM holds;
    UPDATE items SET status = 'available', current_library_id = owning_library_id, circulation_count = 0;`).execute(f.t.connection.db);
}

async function openHoldIds(): Promise<number[]> {
  const rows = await f.t.connection.db.selectFrom('holds').select('id').where('status', 'not in', ['fulfilled', 'cancelled']).orderBy('id').execute();
  return rows.map((r) => r.id);
}

async function perform(c: Command): Promise<number> {
  const staffAt = (i: number) => f.staff(libraries[i], 'circ');
  switch (c.op) {
    case 'place':
      return (await (await staffAt(c.pickup)).post('/holds', { patronBarcode: patrons[c.patron], type: 'title', recordId, pickupLibraryCode: libraries[c.pickup] })).status;
    case 'scan':
      return (await (await staffAt(c.at)).post('/circulation/scan', { itemBarcode: items[c.item] })).status;
    case 'checkout':
      return (await (await staffAt(c.at)).post('/circulation/checkout', { patronBarcode: patrons[c.patron], itemBarcode: items[c.item], ...(c.override ? { override: { reason: 'model test' } } : {}) })).status;
    case 'renew':
      return (await f.admin.post('/circulation/renew', { itemBarcode: items[c.item] })).status;
    case 'cancel': {
      const open = await openHoldIds();
      if (open.length === 0) return 0;
      return (await f.admin.post(`/holds/${open[c.hold % open.length]}/cancel`, { reason: 'staff' })).status;
    }
    case 'redirect': {
      const open = await openHoldIds();
      if (open.length === 0) return 0;
      return (await f.admin.post(`/holds/${open[c.hold % open.length]}/redirect`, {})).status;
    }
    case 'cancel-transit':
      return (await f.admin.post(`/items/${items[c.item]}/cancel-transit`, {})).status;
  }
}

describe('the circulation model', () => {
  it('keeps every invariant after every step of random desk work', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: Math.ceil(steps / 2), maxLength: steps }), async (commands) => {
        await reset();
        for (const [i, c] of commands.entries()) {
          const status = await perform(c);
          if (process.env.TAMARACK_MODEL_TRACE) console.log(c.op, status);
          expect(status, `step ${i} ${JSON.stringify(c)}`).toBeLessThan(500);
          const bad = await brokenInvariants(f.t.connection.db);
          expect(bad, `after step ${i} ${JSON.stringify(c)} of ${JSON.stringify(commands.slice(0, i + 1))}`).toEqual({});
        }
      }),
      { numRuns: runs, seed: Number(process.env.TAMARACK_MODEL_SEED ?? 20250303) },
    );
  }, 600_000);
});
