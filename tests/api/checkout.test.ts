import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random';
import { createConsortiumFixture, fixturePatronPassword, type ConsortiumFixture } from '../support/fixture';

// Check out and renew (API.md "Circulation"), with scenarios 24, 25 and 26 of SCENARIOS.md. Each
// test lends copies of a record of its own, so the tests share one fixture without touching.
let f: ConsortiumFixture;
const PA1 = '21000001';
const PA2 = '21000002';
const PB1 = '22000001';
const PC1 = '23000001';

beforeAll(async () => {
  const random = seededRandom(24);
  f = await createConsortiumFixture(undefined, { random: () => random.next() });
  // scenario 24: B is closed on the day A's 21 days end
  const closed = await (await f.staff('B', 'admin')).patch('/libraries/B', { closedDates: [{ from: '2025-03-24', to: '2025-03-24', reason: 'Staff training' }] });
  expect(closed.status).toBe(200);
});
afterAll(() => f.t.close());

/** A record with one copy per [library, barcode], each added by its library's cataloger. */
async function addTitle(title: string, copies: [string, string][]): Promise<number> {
  const recordId = (await f.admin.post('/records', { title })).body.id;
  for (const [code, barcode] of copies) {
    const res = await (await f.staff(code, 'cat')).post('/items', { recordId, libraryCode: code, callNumber: 'F THO', barcode, catalogedAt: '2024-01-01' });
    expect(res.status).toBe(201);
  }
  return recordId;
}

/** PB1's hold picked up at B, filled by A's copy: A scans it into transit, B scans it onto its holds shelf. */
async function shelvedAtBForPB1(recordId: number, barcode: string): Promise<number> {
  const hold = await (await f.staff('B', 'circ')).post('/holds', { patronBarcode: PB1, type: 'title', recordId });
  expect(hold.body.target.barcode).toBe(barcode);
  expect((await (await f.staff('A', 'circ')).post('/circulation/scan', { itemBarcode: barcode })).body.action).toBe('transit');
  expect((await (await f.staff('B', 'circ')).post('/circulation/scan', { itemBarcode: barcode })).body.action).toBe('holds-shelf');
  return hold.body.id;
}

async function circulations(barcode: string): Promise<number> {
  return (await f.admin.get(`/items/${barcode}`)).body.circulations;
}

async function pendingNotices(holdId: number) {
  return f.t.connection.db.selectFrom('notices').select(['kind', 'channel']).where('hold_id', '=', holdId).where('state', '=', 'pending').execute();
}

describe('POST /circulation/checkout', () => {
  it('24. Check out a held item', async () => {
    const recordId = await addTitle('The Maine Woods', [['A', '31000001']]);
    const holdId = await shelvedAtBForPB1(recordId, '31000001');
    expect(await pendingNotices(holdId)).toEqual([{ kind: 'hold-ready', channel: 'phone-call' }]);
    const res = await (await f.staff('B', 'circ')).post('/circulation/checkout', { patronBarcode: PB1, itemBarcode: '31000001' });
    expect(res.status).toBe(201);
    // A's 21 days from Monday 2025-03-03 end on B's closed Monday 2025-03-24: due the next open day
    expect(res.body).toMatchObject({
      loan: { dueDate: '2025-03-25', checkedOutAt: '2025-03-03T15:00:00.000Z', item: { barcode: '31000001', status: 'checked-out', library: { code: 'A' } }, patron: { barcode: PB1, name: 'Betty Bishop' }, library: { code: 'B' } },
      fulfilledHoldId: holdId,
    });
    expect(res.body.slips).toEqual([{ kind: 'due-date', copies: 1, url: `/api/v1/slips/due-date/${res.body.loan.id}` }]);
    expect(res.body.messages.join(' ')).toMatch(/Due back at Bangor Library on Tuesday, March 25, 2025/);
    const hold = (await f.admin.get(`/holds/${holdId}`)).body;
    expect(hold).toMatchObject({ status: 'fulfilled', fulfilledAt: '2025-03-03T15:00:00.000Z' });
    // one circulation for the check-out; the two scans counted none
    expect(await circulations('31000001')).toBe(1);
    const screen = (await f.admin.get('/items/31000001')).body;
    expect(screen).toMatchObject({ status: 'checked-out', currentLibrary: { code: 'B' }, loan: { patron: { barcode: PB1 }, dueDate: '2025-03-25' } });
    // PB1 collected it: nobody phones them about it any more
    expect(await pendingNotices(holdId)).toEqual([]);
    expect((await f.admin.get(`/patrons/${PB1}`)).body.loans).toEqual([expect.objectContaining({ item: expect.objectContaining({ barcode: '31000001' }), dueDate: '2025-03-25' })]);
  });

  it('25. Held for someone else', async () => {
    const recordId = await addTitle('Cape Cod', [['A', '31000025']]);
    const holdId = await shelvedAtBForPB1(recordId, '31000025');
    // a second copy turns up at C once PB1's copy is on the shelf: PB1's hold can move to it
    const cCopy = await (await f.staff('C', 'cat')).post('/items', { recordId, libraryCode: 'C', callNumber: 'F THO', barcode: '33000025', catalogedAt: '2024-01-01' });
    expect(cCopy.status).toBe(201);
    const desk = await f.staff('B', 'circ');
    const refused = await desk.post('/circulation/checkout', { patronBarcode: PC1, itemBarcode: '31000025' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'HELD_FOR_ANOTHER', heldFor: { barcode: PB1, name: 'Betty Bishop' } });
    expect(refused.body.error.message).toMatch(/Betty Bishop/);
    expect((await f.admin.get('/items/31000025')).body.status).toBe('on-holds-shelf');

    const res = await desk.post('/circulation/checkout', { patronBarcode: PC1, itemBarcode: '31000025', override: { reason: 'PB1 said at the desk that Carl may have it' } });
    expect(res.status).toBe(201);
    expect(res.body.fulfilledHoldId).toBeUndefined();
    expect(res.body.loan).toMatchObject({ patron: { barcode: PC1 }, overrideReason: 'PB1 said at the desk that Carl may have it' });
    const hold = (await f.admin.get(`/holds/${holdId}`)).body;
    expect(hold).toMatchObject({ status: 'targeted', target: { barcode: '33000025' }, capturedAt: null, shelvedAt: null, shelfExpiresAt: null });
    expect(await pendingNotices(holdId)).toEqual([]);
    const override = await f.t.connection.db.selectFrom('events').select(['reason', 'hold_id']).where('kind', '=', 'checkout-override').where('loan_id', '=', res.body.loan.id).executeTakeFirstOrThrow();
    expect(override).toEqual({ reason: 'PB1 said at the desk that Carl may have it', hold_id: holdId });
    expect(await circulations('31000025')).toBe(1);
  });

  it('26. In transit cannot be lent', async () => {
    const recordId = await addTitle('Walden', [['A', '31000026']]);
    await (await f.staff('B', 'circ')).post('/holds', { patronBarcode: PB1, type: 'title', recordId });
    expect((await (await f.staff('A', 'circ')).post('/circulation/scan', { itemBarcode: '31000026' })).body.action).toBe('transit');
    for (const code of ['B', 'A']) {
      const res = await (await f.staff(code, 'circ')).post('/circulation/checkout', { patronBarcode: PB1, itemBarcode: '31000026' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('ITEM_IN_TRANSIT');
    }
    const override = await (await f.staff('B', 'circ')).post('/circulation/checkout', { patronBarcode: PB1, itemBarcode: '31000026', override: { reason: 'in hand' } });
    expect(override.body.error.code).toBe('ITEM_IN_TRANSIT');
    expect(await circulations('31000026')).toBe(0);
  });

  it('lends an available copy from the shelf; a hold that had it on a pull list moves to another copy', async () => {
    const recordId = await addTitle('Ktaadn', [['A', '31000101'], ['C', '33000101']]);
    // PB1's hold (pickup B) targets one of the two; the desk at its library lends that copy to PA2
    const hold = (await (await f.staff('B', 'circ')).post('/holds', { patronBarcode: PB1, type: 'title', recordId })).body;
    const taken = hold.target.barcode as string;
    const other = taken === '31000101' ? '33000101' : '31000101';
    const desk = await f.staff(taken === '31000101' ? 'A' : 'C', 'circ');
    const res = await desk.post('/circulation/checkout', { patronBarcode: PA2, itemBarcode: taken });
    expect(res.status).toBe(201);
    expect(res.body.loan.item).toMatchObject({ barcode: taken, status: 'checked-out' });
    expect(res.body.messages.join(' ')).toMatch(new RegExp(`Hold ${hold.id} had this item on a pull list`));
    expect((await f.admin.get(`/holds/${hold.id}`)).body).toMatchObject({ status: 'targeted', target: { barcode: other } });
    const again = await desk.post('/circulation/checkout', { patronBarcode: PC1, itemBarcode: taken });
    expect(again.body.error.code).toBe('ALREADY_ON_LOAN');
  });

  it("fills the borrower's own hold when they take a copy from the shelf, and frees the copy it targeted", async () => {
    const recordId = await addTitle('The Allegash', [['A', '31000102'], ['B', '32000102']]);
    const mine = (await (await f.staff('A', 'circ')).post('/holds', { patronBarcode: PA1, type: 'title', recordId })).body;
    expect(mine.target.barcode).toBe('31000102');
    const waiting = (await (await f.staff('C', 'circ')).post('/holds', { patronBarcode: PC1, type: 'title', recordId })).body;
    expect(waiting.target.barcode).toBe('32000102');
    const third = (await (await f.staff('A', 'circ')).post('/holds', { patronBarcode: PA2, type: 'title', recordId })).body;
    expect(third.status).toBe('waiting');
    // PA1 finds B's copy on B's shelf while visiting B: the loan fills PA1's hold; PC1's hold, which
    // had B's copy on B's pull list, takes A's copy that PA1 no longer needs; PA2 keeps waiting
    const res = await (await f.staff('B', 'circ')).post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '32000102' });
    expect(res.status).toBe(201);
    expect(res.body.fulfilledHoldId).toBe(mine.id);
    expect((await f.admin.get(`/holds/${mine.id}`)).body).toMatchObject({ status: 'fulfilled', target: null, capturedItem: { barcode: '32000102' } });
    expect((await f.admin.get(`/holds/${waiting.id}`)).body).toMatchObject({ status: 'targeted', target: { barcode: '31000102' } });
    expect((await f.admin.get(`/holds/${third.id}`)).body).toMatchObject({ status: 'waiting', target: null });
  });

  it('refuses a blocked patron, a damaged or non-circulating copy unless overridden, and finds a missing one', async () => {
    await addTitle('Excursions', [['A', '31000103'], ['A', '31000104'], ['A', '31000105']]);
    const desk = await f.staff('A', 'circ');
    const cataloger = await f.staff('A', 'cat');
    const blockedPatron = await desk.patch(`/patrons/${PA2}`, { blocked: true, blockReason: 'Unpaid replacement' });
    expect(blockedPatron.status).toBe(200);
    const blocked = await desk.post('/circulation/checkout', { patronBarcode: PA2, itemBarcode: '31000103' });
    expect(blocked.body.error).toMatchObject({ code: 'PATRON_BLOCKED', message: expect.stringMatching(/Unpaid replacement/) });
    await desk.patch(`/patrons/${PA2}`, { blocked: false });

    expect((await cataloger.patch('/items/31000103', { status: 'damaged' })).status).toBe(200);
    const damaged = await desk.post('/circulation/checkout', { patronBarcode: PA2, itemBarcode: '31000103' });
    expect(damaged.body.error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/damaged/) });
    const lentDamaged = await desk.post('/circulation/checkout', { patronBarcode: PA2, itemBarcode: '31000103', override: { reason: 'patron accepts the torn cover' } });
    expect(lentDamaged.status).toBe(201);

    expect((await cataloger.patch('/items/31000104', { circulates: false })).status).toBe(200);
    const reference = await desk.post('/circulation/checkout', { patronBarcode: PA2, itemBarcode: '31000104' });
    expect(reference.body.error).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/does not circulate/) });

    expect((await cataloger.patch('/items/31000105', { status: 'missing' })).status).toBe(200);
    const found = await desk.post('/circulation/checkout', { patronBarcode: PA2, itemBarcode: '31000105' });
    expect(found.status).toBe(201);
    expect(found.body.messages.join(' ')).toMatch(/marked missing: it is found now/);
    const events = await f.t.connection.db.selectFrom('events').innerJoin('items', 'items.id', 'events.item_id').select('events.kind').where('items.barcode', '=', '31000105').execute();
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['item-found', 'item-checked-out']));
  });

  it('refuses bad input with the field, unknown barcodes with 404, anonymous callers, patrons and other desks', async () => {
    await addTitle('Cape Cod Light', [['A', '31000106']]);
    const desk = await f.staff('A', 'circ');
    expect((await desk.post('/circulation/checkout', { itemBarcode: '31000106' })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'patronBarcode' });
    expect((await desk.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000106', override: {} })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'override.reason' });
    expect((await desk.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: 'NOPE' })).status).toBe(404);
    expect((await desk.post('/circulation/checkout', { patronBarcode: '29999999', itemBarcode: '31000106' })).status).toBe(404);
    expect((await f.t.anonymous.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000106' })).status).toBe(401);
    const patron = await f.t.login(PA1, fixturePatronPassword);
    expect((await patron.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000106' })).body.error.code).toBe('FORBIDDEN');
    expect((await desk.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000106', libraryCode: 'B' })).body.error.code).toBe('NOT_OWN_LIBRARY');
    // the consortium office has no desk of its own: it names the library it lends at
    expect((await f.admin.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000106' })).status).toBe(403);
    const atA = await f.admin.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000106', libraryCode: 'A' });
    expect(atA.status).toBe(201);
    expect(atA.body.loan.library.code).toBe('A');
  });
});

describe('POST /circulation/renew', () => {
  it('renews from today, never shortening the loan, and counts a circulation', async () => {
    await addTitle('Natural History of Massachusetts', [['A', '31000201']]);
    const lent = await (await f.staff('A', 'circ')).post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000201' });
    expect(lent.body.loan.dueDate).toBe('2025-03-24');
    const patron = await f.t.login(PA1, fixturePatronPassword);
    const sameDay = await patron.post('/circulation/renew', { itemBarcode: '31000201' });
    expect(sameDay.status).toBe(200);
    expect(sameDay.body.loan).toMatchObject({ dueDate: '2025-03-24', renewals: 1, patron: { barcode: PA1 } });
    f.t.clock.set(new Date('2025-03-20T15:00:00Z'));
    try {
      // any library's desk may renew; counted from today at the lending desk: 2025-03-20 + 21 days
      const later = await (await f.staff('C', 'circ')).post('/circulation/renew', { itemBarcode: '31000201' });
      expect(later.body.loan).toMatchObject({ dueDate: '2025-04-10', renewals: 2 });
    } finally {
      f.t.clock.set(new Date('2025-03-03T15:00:00Z'));
    }
    expect(await circulations('31000201')).toBe(3);
    const other = await f.t.login(PA2, fixturePatronPassword);
    expect((await other.post('/circulation/renew', { itemBarcode: '31000201' })).body.error.code).toBe('FORBIDDEN');
  });

  it('refuses when another patron waits for the copy, and after the fifth renewal', async () => {
    await addTitle('Faith in a Seed', [['A', '31000202']]);
    const desk = await f.staff('A', 'circ');
    await desk.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000202' });
    for (let i = 1; i <= 5; i++) expect((await desk.post('/circulation/renew', { itemBarcode: '31000202' })).body.loan.renewals).toBe(i);
    const sixth = await desk.post('/circulation/renew', { itemBarcode: '31000202' });
    expect(sixth.body.error).toMatchObject({ code: 'RENEWAL_REFUSED', message: expect.stringMatching(/5 times/) });

    await addTitle('Wild Fruits', [['A', '31000203']]);
    await desk.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000203' });
    const wildFruits = (await f.admin.get('/items/31000203')).body.record.id;
    // D is outside the lending program: A's copy could never fill PD1's hold, so it does not hold up PA1
    const cannotUse = await (await f.staff('D', 'circ')).post('/holds', { patronBarcode: '24000001', type: 'title', recordId: wildFruits });
    expect(cannotUse.body.status).toBe('waiting');
    expect((await desk.post('/circulation/renew', { itemBarcode: '31000203' })).status).toBe(200);
    const waits = await (await f.staff('C', 'circ')).post('/holds', { patronBarcode: PC1, type: 'title', recordId: wildFruits });
    expect(waits.body.status).toBe('waiting');
    const refused = await desk.post('/circulation/renew', { itemBarcode: '31000203' });
    expect(refused.body.error).toMatchObject({ code: 'RENEWAL_REFUSED', message: expect.stringMatching(/Another patron is waiting/) });
  });

  it('refuses an item not on loan, bad input, unknown items and anonymous callers', async () => {
    await addTitle('Walking', [['A', '31000204']]);
    const desk = await f.staff('A', 'circ');
    expect((await desk.post('/circulation/renew', { itemBarcode: '31000204' })).body.error.code).toBe('NOT_ON_LOAN');
    expect((await desk.post('/circulation/renew', {})).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'itemBarcode' });
    expect((await desk.post('/circulation/renew', { itemBarcode: 'NOPE' })).status).toBe(404);
    expect((await f.t.anonymous.post('/circulation/renew', { itemBarcode: '31000204' })).status).toBe(401);
  });
});
