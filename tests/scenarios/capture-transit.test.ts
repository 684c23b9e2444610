import { describe, expect, it } from 'vitest';
import { patronBarcode, placeHold, pullListBarcodes, scenarioFixture, t1Items, type ScenarioFixture } from '../support/scenario-fixture';

// SCENARIOS.md 16–23, 32 and 34: capture, transit and the holds shelf, through the one scan.

async function scanAt(f: ScenarioFixture, libraryCode: string, barcode: string) {
  const res = await (await f.staff(libraryCode, 'circ')).post('/circulation/scan', { itemBarcode: barcode });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function item(f: ScenarioFixture, barcode: string) {
  return (await f.admin.get(`/items/${barcode}`)).body;
}

/** PB1's hold targets 31000001 (A): every other copy is out. */
async function pb1HoldOnAsCopy(f: ScenarioFixture) {
  for (const barcode of [t1Items.B, t1Items.C, t1Items.D, t1Items.S1, t1Items.S2]) await f.lend(barcode);
  const hold = await placeHold(await f.staff('B', 'circ'), { patronBarcode: patronBarcode('PB1'), type: 'title', recordId: f.t1, pickupLibraryCode: 'B' });
  expect(hold.target.barcode).toBe(t1Items.A);
  return hold;
}

async function scenario16(f: ScenarioFixture) {
  const hold = await pb1HoldOnAsCopy(f);
  const answer = await scanAt(f, 'A', t1Items.A);
  return { hold, answer };
}

describe('capture, transit, holds shelf', () => {
  it('16. Capture for another library', async () => {
    const f = await scenarioFixture();
    const { hold, answer } = await scenario16(f);
    expect(answer).toMatchObject({ action: 'transit', destination: { code: 'B' }, patron: { barcode: patronBarcode('PB1') }, hold: { id: hold.id, status: 'in-transit' } });
    expect(answer.messages[0]).toMatch(/Send to Bangor Library \(B\) for/);
    expect(answer.slips).toEqual([{ kind: 'transit', copies: 2, url: expect.stringMatching(/^\/api\/v1\/slips\/transit\/\d+$/) }]);
    expect((await item(f, t1Items.A)).status).toBe('in-transit');
    expect(await pullListBarcodes(f, 'A')).not.toContain(t1Items.A);
  });

  it('17. Capture for own patron', async () => {
    const f = await scenarioFixture();
    const hold = await placeHold(await f.patron('PA1'), { type: 'title', recordId: f.t1 });
    expect(hold.target.barcode).toBe(t1Items.A);
    const answer = await scanAt(f, 'A', t1Items.A);
    expect(answer).toMatchObject({ action: 'holds-shelf', notice: 'email', hold: { id: hold.id, status: 'on-holds-shelf', shelfExpiresAt: '2025-03-10T21:00:00.000Z' } });
    const notices = await f.t.connection.db.selectFrom('notices').selectAll().where('hold_id', '=', hold.id).execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'hold-ready', channel: 'email', to_address: 'pa1@example.org', state: 'pending' });
  });

  it('18. Receive at the pickup library', async () => {
    const f = await scenarioFixture();
    const { hold } = await scenario16(f);
    const answer = await scanAt(f, 'B', t1Items.A);
    expect(answer).toMatchObject({ action: 'holds-shelf', notice: 'phone-call', patron: { barcode: patronBarcode('PB1'), phone: '207-555-0101' }, hold: { status: 'on-holds-shelf' } });
    const notices = await f.t.connection.db.selectFrom('notices').selectAll().where('hold_id', '=', hold.id).execute();
    expect(notices.map((n) => n.channel)).toEqual(['phone-call']);
    expect((await item(f, t1Items.A))).toMatchObject({ status: 'on-holds-shelf', currentLibrary: { code: 'B' } });
  });

  it('19. Scanned at the wrong library', async () => {
    const f = await scenarioFixture();
    await scenario16(f);
    const before = await f.t.connection.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const answer = await scanAt(f, 'C', t1Items.A);
    expect(answer).toMatchObject({ action: 'transit', destination: { code: 'B' }, slips: [{ kind: 'transit', copies: 0 }] });
    expect(answer.messages[0]).toMatch(/Send to Bangor Library/);
    const after = await f.t.connection.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await item(f, t1Items.A))).toMatchObject({ status: 'in-transit', currentLibrary: { code: 'A' } });
  });

  it('19. Scanned at the wrong library: taken off its holds shelf, it goes back without that shelf\'s dates', async () => {
    const f = await scenarioFixture();
    const { hold } = await scenario16(f);
    const shelved = await scanAt(f, 'B', t1Items.A);
    expect(shelved).toMatchObject({ action: 'holds-shelf', hold: { id: hold.id, status: 'on-holds-shelf', shelfExpiresAt: expect.any(String) } });
    // carried off to C by mistake and scanned there: back to B for the same patron
    const answer = await scanAt(f, 'C', t1Items.A);
    expect(answer).toMatchObject({ action: 'transit', destination: { code: 'B' }, hold: { id: hold.id, status: 'in-transit', shelvedAt: null, shelfExpiresAt: null } });
    const again = await scanAt(f, 'B', t1Items.A);
    expect(again).toMatchObject({ action: 'holds-shelf', hold: { id: hold.id, status: 'on-holds-shelf', shelfExpiresAt: expect.any(String) } });
  });

  it('16. Capture for another library: a re-scan at A answers the same', async () => {
    const f = await scenarioFixture();
    const { answer } = await scenario16(f);
    const again = await scanAt(f, 'A', t1Items.A);
    expect(again).toEqual(answer);
  });

  it('20. Shelf expiry skips closed days', async () => {
    const f = await scenarioFixture();
    expect((await f.admin.patch('/libraries/B', { closedDates: [{ from: '2025-03-10', to: '2025-03-11' }] })).status).toBe(200);
    await f.lend(t1Items.A);
    const hold = await placeHold(await f.patron('PB1'), { type: 'title', recordId: f.t1 });
    expect(hold.target.barcode).toBe(t1Items.B);
    const answer = await scanAt(f, 'B', t1Items.B);
    expect(answer.hold.shelfExpiresAt).toBe('2025-03-12T21:00:00.000Z');
  });

  it('21. Re-scan is harmless', async () => {
    const f = await scenarioFixture();
    await placeHold(await f.patron('PA1'), { type: 'title', recordId: f.t1 });
    const first = await scanAt(f, 'A', t1Items.A);
    const count = async () => Number((await f.t.connection.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const events = await count();
    const second = await scanAt(f, 'A', t1Items.A);
    expect(second.action).toBe(first.action);
    expect(second.patron).toEqual(first.patron);
    expect(second.hold.id).toBe(first.hold.id);
    expect(await count()).toBe(events);
    expect(await f.t.connection.db.selectFrom('notices').selectAll().execute()).toHaveLength(1);
  });

  it('22. Capture any holdable item that matches', async () => {
    const f = await scenarioFixture();
    for (const barcode of Object.values(t1Items)) await f.lend(barcode);
    const hold = await placeHold(await f.patron('PC1'), { type: 'title', recordId: f.t1 });
    expect(hold.status).toBe('waiting');
    const answer = await scanAt(f, 'C', t1Items.C);
    expect(answer).toMatchObject({ action: 'holds-shelf', hold: { id: hold.id, status: 'on-holds-shelf' }, patron: { barcode: patronBarcode('PC1') } });
    expect(answer.messages.join(' ')).toMatch(/loan is closed/);
  });

  it('23. Which hold an item fills', async () => {
    const f = await scenarioFixture({ now: new Date('2025-02-01T15:00:00Z') });
    for (const barcode of Object.values(t1Items)) await f.lend(barcode);
    const pb1 = await placeHold(await f.patron('PB1'), { type: 'title', recordId: f.t1 });
    await f.setClock('2025-03-01T15:00:00Z');
    const pc1 = await placeHold(await f.patron('PC1'), { type: 'title', recordId: f.t1 });
    await f.setClock('2025-03-03T15:00:00Z');
    expect([pb1.status, pc1.status]).toEqual(['waiting', 'waiting']);
    const answer = await scanAt(f, 'C', t1Items.C);
    expect(answer).toMatchObject({ action: 'transit', destination: { code: 'B' }, hold: { id: pb1.id } });
    expect((await f.hold(pc1.id)).status).toBe('waiting');
  });

  it('23. Which hold an item fills: a hold already targeting another item keeps it', async () => {
    const f = await scenarioFixture({ now: new Date('2025-02-01T15:00:00Z') });
    for (const barcode of [t1Items.A, t1Items.C, t1Items.D, t1Items.S1, t1Items.S2]) await f.lend(barcode);
    const pb1 = await placeHold(await f.patron('PB1'), { type: 'title', recordId: f.t1 });
    expect(pb1.target.barcode).toBe(t1Items.B);
    await f.setClock('2025-03-01T15:00:00Z');
    const pc1 = await placeHold(await f.patron('PC1'), { type: 'title', recordId: f.t1 });
    await f.setClock('2025-03-03T15:00:00Z');
    const answer = await scanAt(f, 'C', t1Items.C);
    expect(answer).toMatchObject({ action: 'holds-shelf', hold: { id: pc1.id } });
    expect((await f.hold(pb1.id)).target.barcode).toBe(t1Items.B);
  });

  it('32. Cancelled while in transit', async () => {
    const f = await scenarioFixture();
    const { hold } = await scenario16(f);
    await f.cancelHold(hold.id);
    const home = await scanAt(f, 'B', t1Items.A);
    expect(home).toMatchObject({ action: 'transit', destination: { code: 'A' } });
    expect(home.messages.join(' ')).toMatch(/was cancelled/);
  });

  it('32. Cancelled while in transit: the oldest other hold gets it', async () => {
    const f = await scenarioFixture();
    const { hold } = await scenario16(f);
    const pc1 = await placeHold(await f.patron('PC1'), { type: 'title', recordId: f.t1 });
    expect(pc1.status).toBe('waiting');
    await f.cancelHold(hold.id);
    const answer = await scanAt(f, 'B', t1Items.A);
    expect(answer).toMatchObject({ action: 'transit', destination: { code: 'C' }, hold: { id: pc1.id, status: 'in-transit' } });
  });

  it('34. Slip with no patron', async () => {
    const f = await scenarioFixture();
    const { hold } = await scenario16(f);
    await f.cancelHold(hold.id);
    const answer = await scanAt(f, 'B', t1Items.A);
    expect(answer.action).toBe('transit');
    expect(answer.destination.code).toBe('A');
    const back = await scanAt(f, 'A', t1Items.A);
    expect(back).toMatchObject({ action: 'shelve' });
    expect((await item(f, t1Items.A)).status).toBe('available');
  });
});
