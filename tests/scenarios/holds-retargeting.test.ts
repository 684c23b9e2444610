import { describe, expect, it } from 'vitest';
import {
  candidate,
  patronBarcode,
  placeHold,
  pullListBarcodes,
  scenarioFixture,
  t1Items,
  targetOf,
  type ScenarioFixture,
} from '../support/scenario-fixture';

// SCENARIOS.md 9, 10, 11, 15 and 35: what happens to a targeted hold afterwards — the sweep's
// timeout, refusals (redirect, not on shelf) and suspension — through the API.

const { A, B, C, D, S1, S2 } = t1Items;

// Times in Maine (EST, UTC−5 until 2025-03-09, EDT, UTC−4 from then on).
const tuesday0955 = '2025-03-04T14:55:00Z';
const tuesday1015 = '2025-03-04T15:15:00Z';
const wednesday0955 = '2025-03-05T14:55:00Z';
const wednesday1005 = '2025-03-05T15:05:00Z';

/** PA1's title hold on T1 targeted at B's copy on Monday 10:00 (A's and C's copies are out then). */
async function holdTargetingB(f: ScenarioFixture): Promise<Record<string, any>> {
  await f.lend(A);
  await f.lend(C);
  const hold = await placeHold(await f.patron('PA1'), { type: 'title', recordId: f.t1 });
  expect(hold).toMatchObject({ status: 'targeted', target: { barcode: B, library: { code: 'B' } } });
  return hold;
}

async function exclusionsOf(f: ScenarioFixture, holdId: number): Promise<{ code: string; reason: string }[]> {
  return f.t.connection.db
    .selectFrom('hold_exclusions')
    .innerJoin('libraries', 'libraries.id', 'hold_exclusions.library_id')
    .select(['libraries.code', 'hold_exclusions.reason'])
    .where('hold_exclusions.hold_id', '=', holdId)
    .orderBy('libraries.code')
    .execute();
}

describe('Retargeting', { timeout: 90_000 }, () => {
  it('9. Retarget after 24 hours', async () => {
    const f = await scenarioFixture();
    const hold = await holdTargetingB(f);
    // C's copy is back on its shelf (without a scan, so nothing targets it now)
    await f.giveBack(C);

    // Tuesday 09:55: less than 24 opening hours — nothing changes
    await f.setClock(tuesday0955);
    await f.runTargeting();
    expect(await f.hold(hold.id)).toMatchObject({ status: 'targeted', target: { barcode: B } });
    expect(await exclusionsOf(f, hold.id)).toEqual([]);

    // Tuesday 10:15: B did not capture it in time; the nearest untried library gets it
    await f.setClock(tuesday1015);
    await f.runTargeting();
    const moved = await f.hold(hold.id);
    expect(moved).toMatchObject({ status: 'targeted', target: { barcode: C, library: { code: 'C' } } });
    expect(JSON.stringify(moved.explanation)).toMatch(/timeout|timed out|in time/i);
    // a timeout, not a refusal: B's copy stays a candidate, and B is recorded only as timed out
    expect(candidate(moved, B)?.excludedBecause).not.toBe('refused');
    expect(await exclusionsOf(f, hold.id)).toEqual([{ code: 'B', reason: 'timeout' }]);
    expect(await pullListBarcodes(f, 'B')).toEqual([]);
    expect(await pullListBarcodes(f, 'C')).toEqual([C]);

    // The same, with B closed all Tuesday (a fresh consortium): the closed day does not count.
    const g = await scenarioFixture();
    const closed = await g.admin.patch('/libraries/B', { closedDates: [{ from: '2025-03-04', to: '2025-03-04' }] });
    expect(closed.status, closed.text).toBe(200);
    const closedHold = await holdTargetingB(g);
    await g.giveBack(C);
    for (const at of [tuesday1015, wednesday0955]) {
      await g.setClock(at);
      await g.runTargeting();
      expect(await g.hold(closedHold.id), `at ${at}`).toMatchObject({ status: 'targeted', target: { barcode: B } });
    }
    await g.setClock(wednesday1005);
    await g.runTargeting();
    expect(await g.hold(closedHold.id)).toMatchObject({ status: 'targeted', target: { barcode: C } });
  });

  it('10. Previous target as last resort', async () => {
    const f = await scenarioFixture();
    for (const barcode of [D, S1, S2]) await f.lend(barcode);
    const hold = await holdTargetingB(f);

    await f.setClock(tuesday1015);
    await f.runTargeting();
    expect(await f.hold(hold.id)).toMatchObject({ status: 'targeted', target: { barcode: B, library: { code: 'B' } } });
    expect(await pullListBarcodes(f, 'B')).toEqual([B]);
  });

  it('11. Redirect', async () => {
    const f = await scenarioFixture();
    const hold = await holdTargetingB(f);
    await f.giveBack(C);

    // only the library whose copy is targeted may redirect
    const notTheirs = await (await f.staff('C', 'circ')).post(`/holds/${hold.id}/redirect`, { note: 'not ours' });
    expect(notTheirs.status, notTheirs.text).toBe(403);

    const byB = await (await f.staff('B', 'circ')).post(`/holds/${hold.id}/redirect`, { note: 'spine broken' });
    expect(byB.status, byB.text).toBe(200);
    expect(byB.body).toMatchObject({ status: 'targeted', target: { barcode: C, library: { code: 'C' } } });

    const byC = await (await f.staff('C', 'circ')).post(`/holds/${hold.id}/redirect`, {});
    expect(byC.status, byC.text).toBe(200);
    expect(byC.body.status).toBe('targeted');
    const first = targetOf(byC.body)!;
    expect([S1, S2]).toContain(first);

    const firstLibrary = first === S1 ? 'S1' : 'S2';
    const bySystem = await (await f.staff(firstLibrary, 'circ')).post(`/holds/${hold.id}/redirect`, {});
    expect(bySystem.status, bySystem.text).toBe(200);
    const second = first === S1 ? S2 : S1;
    expect(bySystem.body).toMatchObject({ status: 'targeted', target: { barcode: second } });

    const byLast = await (await f.staff(second === S1 ? 'S1' : 'S2', 'circ')).post(`/holds/${hold.id}/redirect`, {});
    expect(byLast.status, byLast.text).toBe(200);
    // B's and C's copies are on their shelves, but both libraries refused this hold for good
    expect(byLast.body).toMatchObject({ status: 'waiting', target: null });
    expect(candidate(byLast.body, B)).toMatchObject({ excludedBecause: 'refused' });
    expect(candidate(byLast.body, C)).toMatchObject({ excludedBecause: 'refused' });

    // not even the sweep sends it back to B
    await f.setClock(tuesday1015);
    await f.runTargeting();
    expect(await f.hold(hold.id)).toMatchObject({ status: 'waiting', target: null });
  });

  it('15. Suspend', async () => {
    const f = await scenarioFixture();
    const pa1 = await f.patron('PA1');
    const hold = await placeHold(pa1, { type: 'title', recordId: f.t1 });
    expect(targetOf(hold)).toBe(A);

    const suspended = await pa1.patch(`/holds/${hold.id}`, { suspendedUntil: '2025-03-10' });
    expect(suspended.status, suspended.text).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', target: null, suspendedUntil: '2025-03-10' });
    expect(await pullListBarcodes(f, 'A')).toEqual([]);

    // the released copy goes to the next hold
    const pa2 = await placeHold(await f.patron('PA2'), { type: 'title', recordId: f.t1 });
    expect(targetOf(pa2)).toBe(A);

    // Sunday 2025-03-09 16:00 in Maine: the suspended hold is skipped, while PA2's hold, not
    // captured since Monday, moves away from A (scenario 9) and leaves A's copy free
    await f.setClock('2025-03-09T20:00:00Z');
    await f.runTargeting();
    expect(await f.hold(hold.id)).toMatchObject({ status: 'suspended', target: null });
    const pa2Moved = targetOf(await f.hold(pa2.id));
    expect([B, C]).toContain(pa2Moved);

    // Monday 2025-03-10 10:00 (EDT): targeted again — at A's own copy, free once more
    await f.setClock('2025-03-10T14:00:00Z');
    await f.runTargeting();
    expect(await f.hold(hold.id)).toMatchObject({ status: 'targeted', target: { barcode: A } });
    expect(targetOf(await f.hold(pa2.id))).toBe(pa2Moved);
  });

  it('35. Not on shelf', async () => {
    const f = await scenarioFixture();
    await f.lend(B);
    await f.lend(C);
    const hold = await placeHold(await f.patron('PB1'), { type: 'title', recordId: f.t1 });
    expect(hold).toMatchObject({ status: 'targeted', pickupLibrary: { code: 'B' }, target: { barcode: A } });
    await f.giveBack(C);

    const aCirc = await f.staff('A', 'circ');
    const pull = await aCirc.get('/libraries/A/pull-list');
    expect(pull.status, pull.text).toBe(200);
    expect(pull.body).toHaveLength(1);
    expect(pull.body[0]).toMatchObject({ item: { barcode: A }, patron: { barcode: patronBarcode('PB1') }, pickupLibrary: { code: 'B' } });

    const marked = await aCirc.post(`/holds/${hold.id}/not-on-shelf`);
    expect(marked.status, marked.text).toBe(200);
    // A's copy is gone; C's is the nearest other (2 steps from B, S1's and S2's are 3)
    expect(marked.body).toMatchObject({ status: 'targeted', target: { barcode: C, library: { code: 'C' } } });
    const item = await aCirc.get(`/items/${A}`);
    expect(item.status, item.text).toBe(200);
    expect(item.body.status).toBe('missing');
    expect(await pullListBarcodes(f, 'A')).toEqual([]);
    expect(await pullListBarcodes(f, 'C')).toEqual([C]);
  });
});
