import { describe, expect, it } from 'vitest';
import { patronBarcode, placeHold, scenarioFixture, t1Items, type ScenarioFixture } from '../support/scenario-fixture';

// SCENARIOS.md 27–30: returns go home or to the next hold, and only loans count circulations.

async function scanAt(f: ScenarioFixture, libraryCode: string, barcode: string) {
  const res = await (await f.staff(libraryCode, 'circ')).post('/circulation/scan', { itemBarcode: barcode });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function checkout(f: ScenarioFixture, libraryCode: string, patron: string, barcode: string) {
  const res = await (await f.staff(libraryCode, 'circ')).post('/circulation/checkout', { patronBarcode: patron, itemBarcode: barcode });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function item(f: ScenarioFixture, barcode: string) {
  return (await f.admin.get(`/items/${barcode}`)).body;
}

/** 31000001 (A's) travels to B for PB1 and is checked out to PB1 there. */
async function aCopyOnLoanAtB(f: ScenarioFixture) {
  for (const barcode of [t1Items.B, t1Items.C, t1Items.D, t1Items.S1, t1Items.S2]) await f.lend(barcode);
  const hold = await placeHold(await f.staff('B', 'circ'), { patronBarcode: patronBarcode('PB1'), type: 'title', recordId: f.t1, pickupLibraryCode: 'B' });
  expect(hold.target.barcode).toBe(t1Items.A);
  expect((await scanAt(f, 'A', t1Items.A)).action).toBe('transit');
  expect((await scanAt(f, 'B', t1Items.A)).action).toBe('holds-shelf');
  const loan = await checkout(f, 'B', patronBarcode('PB1'), t1Items.A);
  expect(loan.fulfilledHoldId).toBe(hold.id);
  expect(await item(f, t1Items.A)).toMatchObject({ status: 'checked-out', currentLibrary: { code: 'B' }, circulations: 1 });
}

describe('loans and returns', () => {
  it('27. Return goes home', async () => {
    const f = await scenarioFixture();
    await aCopyOnLoanAtB(f);
    const atB = await scanAt(f, 'B', t1Items.A);
    expect(atB).toMatchObject({ action: 'transit', destination: { code: 'A' } });
    expect(atB.messages[0]).toBe('Send home to Abbot Library (A).');
    expect(atB.slips).toEqual([{ kind: 'transit', copies: 0, url: expect.any(String) }]);
    expect(await item(f, t1Items.A)).toMatchObject({ status: 'in-transit', loan: null, transit: { kind: 'return' } });
    const atA = await scanAt(f, 'A', t1Items.A);
    expect(atA).toMatchObject({ action: 'shelve' });
    expect(await item(f, t1Items.A)).toMatchObject({ status: 'available', currentLibrary: { code: 'A' }, transit: null });
  });

  it('28. Return fills the next hold', async () => {
    const f = await scenarioFixture();
    await aCopyOnLoanAtB(f);
    const pc1 = await placeHold(await f.patron('PC1'), { type: 'title', recordId: f.t1 });
    expect(pc1).toMatchObject({ status: 'waiting', pickupLibrary: { code: 'C' } });
    const atB = await scanAt(f, 'B', t1Items.A);
    expect(atB).toMatchObject({ action: 'transit', destination: { code: 'C' }, patron: { barcode: patronBarcode('PC1') }, hold: { id: pc1.id, status: 'in-transit' } });
    expect(atB.slips[0].copies).toBe(2);
  });

  it('29. Return at the owning library', async () => {
    const f = await scenarioFixture();
    await checkout(f, 'A', patronBarcode('PA1'), t1Items.A);
    const answer = await scanAt(f, 'A', t1Items.A);
    expect(answer).toMatchObject({ action: 'shelve', slips: [] });
    expect(await item(f, t1Items.A)).toMatchObject({ status: 'available', currentLibrary: { code: 'A' }, loan: null });
  });

  it('30. Counting', async () => {
    const f = await scenarioFixture();
    await aCopyOnLoanAtB(f);
    const renewed = await (await f.staff('B', 'circ')).post('/circulation/renew', { itemBarcode: t1Items.A });
    expect(renewed.status, renewed.text).toBe(200);
    await scanAt(f, 'B', t1Items.A);
    await scanAt(f, 'C', t1Items.A);
    await scanAt(f, 'A', t1Items.A);
    await scanAt(f, 'A', t1Items.A);
    await checkout(f, 'A', patronBarcode('PA1'), t1Items.A);
    await scanAt(f, 'A', t1Items.A);
    // two checkouts and one renewal; five scans, two captures and three transits count nothing
    expect((await item(f, t1Items.A)).circulations).toBe(3);
    for (const barcode of [t1Items.B, t1Items.C]) expect((await item(f, barcode)).circulations).toBe(0);
  });
});
