import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random';
import {
  candidate,
  patronBarcode,
  placeHold,
  pullListBarcodes,
  scenarioFixture,
  scenarioNow,
  t1Items,
  t1Title,
  targetOf,
} from '../support/scenario-fixture';

// SCENARIOS.md "Placing holds and targeting", scenarios 1–8, through the API on the scenario
// fixture (T1 with one copy at A, B, C, D, S1, S2; Monday 2025-03-03 10:00 in Maine).

const { A, B, C, D, S1, S2 } = t1Items;

function tally(counts: Map<string, number>, barcode: string | null): void {
  counts.set(String(barcode), (counts.get(String(barcode)) ?? 0) + 1);
}

describe('Placing holds and targeting', { timeout: 90_000 }, () => {
  it('1. Local first', async () => {
    const f = await scenarioFixture();
    const hold = await placeHold(await f.patron('PA1'), { type: 'title', recordId: f.t1 });
    expect(hold).toMatchObject({
      type: 'title',
      status: 'targeted',
      patron: { barcode: patronBarcode('PA1'), name: expect.any(String) },
      record: { id: f.t1, title: t1Title },
      pickupLibrary: { code: 'A', name: 'Abbot Library' },
      requestedAt: scenarioNow.toISOString(),
      target: { barcode: A, library: { code: 'A', name: 'Abbot Library' } },
    });
    expect(hold.explanation.chosen).toMatchObject({ barcode: A, library: { code: 'A' } });
    expect(await f.hold(hold.id)).toMatchObject({ status: 'targeted', target: { barcode: A } });

    const pullA = await (await f.staff('A', 'circ')).get('/libraries/A/pull-list');
    expect(pullA.status, pullA.text).toBe(200);
    expect(pullA.body).toHaveLength(1);
    expect(pullA.body[0]).toMatchObject({
      item: { barcode: A, callNumber: 'F THO', title: t1Title },
      patron: { barcode: patronBarcode('PA1') },
      pickupLibrary: { code: 'A' },
    });
    for (const code of ['B', 'C', 'D', 'S1', 'S2']) expect(await pullListBarcodes(f, code), `${code}'s pull list`).toEqual([]);
  });

  it('2. Random among other libraries', { timeout: 180_000 }, async () => {
    const f = await scenarioFixture({ random: seededRandom(20250303).next });
    await f.lend(A);
    const pa1 = await f.patron('PA1');

    // Fresh holds one after another: each is closed in the database before the next is placed.
    const rounds = 300;
    const counts = new Map<string, number>();
    for (let i = 0; i < rounds; i++) {
      const hold = await placeHold(pa1, { type: 'title', recordId: f.t1 });
      expect(hold.status).toBe('targeted');
      if (i === 0) {
        expect(candidate(hold, B)).toMatchObject({ nearness: 2 });
        expect(candidate(hold, C)).toMatchObject({ nearness: 2 });
        expect(candidate(hold, S1)).toMatchObject({ nearness: 3 });
        expect(candidate(hold, S1)?.excludedBecause).toBeUndefined();
        expect(candidate(hold, D)).toMatchObject({ excludedBecause: 'lending-not-allowed' });
      }
      tally(counts, targetOf(hold));
      await f.cancelHold(hold.id);
    }
    expect([...counts.keys()].sort()).toEqual([B, C]);
    // Binomial(300, 1/2): standard deviation ≈ 8.7, so ±45 is more than five of them.
    expect(counts.get(B)).toBeGreaterThanOrEqual(rounds / 2 - 45);
    expect(counts.get(B)).toBeLessThanOrEqual(rounds / 2 + 45);

    // Picked up at S1 with S1's copy out: S2 is 2 steps away, every top-level library 3.
    await f.lend(S1);
    for (let i = 0; i < 10; i++) {
      const hold = await placeHold(pa1, { type: 'title', recordId: f.t1, pickupLibraryCode: 'S1' });
      expect(hold).toMatchObject({ status: 'targeted', pickupLibrary: { code: 'S1' }, target: { barcode: S2, library: { code: 'S2' } } });
      if (i === 0) expect(candidate(hold, B)).toMatchObject({ nearness: 3 });
      await f.cancelHold(hold.id);
    }
  });

  it('3. Balanced policy', { timeout: 180_000 }, async () => {
    const f = await scenarioFixture({ random: seededRandom(31).next });
    const policy = await f.admin.patch('/consortium', { targetingPolicy: 'balanced' });
    expect(policy.status, policy.text).toBe(200);

    // B lent 30 of its copies (of another title) to A's desk in the last 30 days; C lent none.
    const other = await f.createRecord('Cape Cod');
    for (let i = 0; i < 30; i++) {
      const barcode = `3209${String(i).padStart(4, '0')}`;
      await f.addItem('B', other, barcode);
      await f.lend(barcode, { libraryCode: 'A', patronBarcode: patronBarcode('PA2'), checkedOutAt: new Date(scenarioNow.getTime() - (i + 1) * 20 * 3_600_000) });
    }
    await f.lend(A);

    const pa1 = await f.patron('PA1');
    const rounds = 100;
    const counts = new Map<string, number>();
    for (let i = 0; i < rounds; i++) {
      const hold = await placeHold(pa1, { type: 'title', recordId: f.t1 });
      tally(counts, targetOf(hold));
      await f.cancelHold(hold.id);
    }
    // weights 1/31 for B and 1 for C: C about 31 times in 32 (97%)
    expect([...counts.keys()].every((barcode) => barcode === B || barcode === C), JSON.stringify([...counts])).toBe(true);
    expect(counts.get(C) ?? 0).toBeGreaterThanOrEqual(85);
  });

  it('4. One hold per item', async () => {
    const f = await scenarioFixture();
    const first = await placeHold(await f.patron('PA1'), { type: 'title', recordId: f.t1 });
    expect(targetOf(first)).toBe(A);
    const second = await placeHold(await f.patron('PA2'), { type: 'title', recordId: f.t1 });
    expect(second.status).toBe('targeted');
    expect([B, C]).toContain(targetOf(second));
    expect(candidate(second, A)).toMatchObject({ excludedBecause: 'targeted-by-another-hold' });
    expect(targetOf(await f.hold(first.id))).toBe(A);
  });

  it('5. Not holdable', async () => {
    const f = await scenarioFixture();
    const bCat = await f.staff('B', 'cat');
    const location = await bCat.post('/libraries/B/locations', { name: 'Reference', holdable: false });
    expect(location.status, location.text).toBe(201);
    const moved = await bCat.patch(`/items/${B}`, { location: 'Reference' });
    expect(moved.status, moved.text).toBe(200);
    const marked = await (await f.staff('C', 'cat')).patch(`/items/${C}`, { holdable: false });
    expect(marked.status, marked.text).toBe(200);
    await f.lend(A);

    const pa1 = await f.patron('PA1');
    const hold = await placeHold(pa1, { type: 'title', recordId: f.t1 });
    expect(hold.status).toBe('targeted');
    // S1 and S2 are equally near A (3 steps): with S2's copy free too, either system copy will do
    expect([S1, S2]).toContain(targetOf(hold));
    expect(candidate(hold, B)).toMatchObject({ excludedBecause: 'location-not-holdable' });
    expect(candidate(hold, C)).toMatchObject({ excludedBecause: 'item-not-holdable' });

    // with S2's copy out as well, the scenario's exact answer: 35000001, never B's or C's
    await f.cancelHold(hold.id);
    await f.lend(S2);
    const again = await placeHold(pa1, { type: 'title', recordId: f.t1 });
    expect(again).toMatchObject({ status: 'targeted', target: { barcode: S1, library: { code: 'S1' } } });
  });

  it('6. Age protection', async () => {
    const f = await scenarioFixture();
    await f.t.connection.db.updateTable('items').set({ cataloged_at: '2025-02-01' }).where('barcode', '=', B).execute();
    const protectedItem = await (await f.staff('B', 'cat')).patch(`/items/${B}`, { ageProtection: '3m' });
    expect(protectedItem.status, protectedItem.text).toBe(200);
    for (const barcode of [A, C, D, S1, S2]) await f.lend(barcode);

    const pa1 = await f.patron('PA1');
    const hold = await placeHold(pa1, { type: 'title', recordId: f.t1, pickupLibraryCode: 'A' });
    expect(hold).toMatchObject({ status: 'waiting', target: null });
    expect(hold.explanation.summary).toMatch(/protect/i);
    expect(candidate(hold, B)).toMatchObject({ excludedBecause: 'age-protected' });

    // Another record whose only copy is protected at B: B's own patron gets it at once, even for
    // pickup at A; A's patron waits.
    const walden = await f.createRecord('Walden');
    await f.addItem('B', walden, '32000002', { catalogedAt: '2025-02-01', ageProtection: '3m' });
    const pa1Walden = await placeHold(pa1, { type: 'title', recordId: walden });
    expect(pa1Walden).toMatchObject({ status: 'waiting', target: null });
    expect(pa1Walden.explanation.summary).toMatch(/protect/i);
    const pb1Walden = await placeHold(await f.patron('PB1'), { type: 'title', recordId: walden, pickupLibraryCode: 'A' });
    expect(pb1Walden).toMatchObject({ status: 'targeted', pickupLibrary: { code: 'A' }, target: { barcode: '32000002', library: { code: 'B' } } });

    // still protected at the end of April: the sweep leaves the T1 hold waiting
    await f.setClock('2025-04-30T14:00:00Z');
    await f.runTargeting();
    expect(await f.hold(hold.id)).toMatchObject({ status: 'waiting', target: null });
    // protection (2025-02-01 + 3 months) is over on 2025-05-02: the sweep targets it
    await f.setClock('2025-05-02T14:00:00Z');
    await f.runTargeting();
    expect(await f.hold(hold.id)).toMatchObject({ status: 'targeted', target: { barcode: B, library: { code: 'B' } } });
  });

  it('7. Non-participating library', async () => {
    const f = await scenarioFixture();
    for (const barcode of [A, B, C, S1, S2]) await f.lend(barcode);

    const hold = await placeHold(await f.patron('PA1'), { type: 'title', recordId: f.t1 });
    expect(hold).toMatchObject({ status: 'waiting', target: null });
    expect(hold.explanation.summary).toMatch(/lending program/i);
    expect(candidate(hold, D)).toMatchObject({ excludedBecause: 'lending-not-allowed' });

    const pd1 = await f.patron('PD1');
    const atA = await pd1.post('/holds', { type: 'title', recordId: f.t1, pickupLibraryCode: 'A' });
    expect(atA.status, atA.text).toBe(409);
    expect(atA.body.error.code).toBe('PICKUP_NOT_ALLOWED');
    const atD = await placeHold(pd1, { type: 'title', recordId: f.t1, pickupLibraryCode: 'D' });
    expect(atD).toMatchObject({ status: 'targeted', pickupLibrary: { code: 'D' }, target: { barcode: D, library: { code: 'D' } } });
    expect(await f.hold(hold.id)).toMatchObject({ status: 'waiting', target: null });
  });

  it('8. Nothing to target', async () => {
    const f = await scenarioFixture();
    const t3 = await f.createRecord('The Allegash and East Branch');
    const hold = await placeHold(await f.patron('PA1'), { type: 'title', recordId: t3 });
    expect(hold).toMatchObject({ status: 'waiting', target: null, record: { id: t3 } });
    expect(hold.explanation.summary).toMatch(/no copies/i);

    // adding a copy at B targets the waiting hold inside that same request
    await f.addItem('B', t3, '32000003');
    expect(await f.hold(hold.id)).toMatchObject({ status: 'targeted', target: { barcode: '32000003', library: { code: 'B' } } });
    expect(await pullListBarcodes(f, 'B')).toEqual(['32000003']);
  });
});
