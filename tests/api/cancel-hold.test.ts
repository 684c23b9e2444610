import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random';
import { createConsortiumFixture, fixturePatronPassword, type ConsortiumFixture } from '../support/fixture';

// POST /holds/:id/cancel (API.md "Holds"), with scenario 31 of SCENARIOS.md. Each test holds a
// record of its own, so the tests share one fixture without touching.
let f: ConsortiumFixture;
const PA1 = '21000001';
const PB1 = '22000001';
const PC1 = '23000001';

beforeAll(async () => {
  const random = seededRandom(31);
  f = await createConsortiumFixture(undefined, { random: () => random.next() });
});
afterAll(() => f.t.close());

async function addTitle(title: string, copies: [string, string][]): Promise<number> {
  const recordId = (await f.admin.post('/records', { title })).body.id;
  for (const [code, barcode] of copies) {
    const res = await (await f.staff(code, 'cat')).post('/items', { recordId, libraryCode: code, callNumber: 'F THO', barcode, catalogedAt: '2024-01-01' });
    expect(res.status).toBe(201);
  }
  return recordId;
}

async function placeHold(staffLibrary: string, patronBarcode: string, recordId: number) {
  const res = await (await f.staff(staffLibrary, 'circ')).post('/holds', { patronBarcode, type: 'title', recordId });
  expect(res.status).toBe(201);
  return res.body;
}

async function messagesAbout(holdId: number) {
  return f.t.connection.db
    .selectFrom('library_messages')
    .innerJoin('libraries as to', 'to.id', 'library_messages.to_library_id')
    .leftJoin('libraries as from', 'from.id', 'library_messages.from_library_id')
    .select(['to.code as to', 'from.code as from', 'library_messages.subject', 'library_messages.body'])
    .where('library_messages.hold_id', '=', holdId)
    .orderBy('library_messages.id')
    .execute();
}

async function noticesOf(holdId: number) {
  return f.t.connection.db.selectFrom('notices').select(['kind', 'channel', 'state', 'to_address']).where('hold_id', '=', holdId).orderBy('id').execute();
}

describe('POST /holds/:id/cancel', () => {
  it('31. Cancel with notice to the other library', async () => {
    const recordId = await addTitle('The Maine Woods', [['B', '32000001']]);
    const first = await placeHold('A', PA1, recordId);
    expect(first.target.barcode).toBe('32000001');
    const bStaff = await f.staff('B', 'circ');
    expect((await bStaff.get('/libraries/B/pull-list')).body.map((e: { item: { barcode: string } }) => e.item.barcode)).toContain('32000001');

    const byA = await (await f.staff('A', 'circ')).post(`/holds/${first.id}/cancel`, { reason: 'patron-request', note: 'Bought her own copy' });
    expect(byA.status).toBe(200);
    expect(byA.body).toMatchObject({ status: 'cancelled', cancelledAt: '2025-03-03T15:00:00.000Z', cancelReason: 'patron-request', target: null });
    const toB = await messagesAbout(first.id);
    expect(toB).toHaveLength(1);
    expect(toB[0]).toMatchObject({ to: 'B', from: 'A' });
    for (const named of [`Hold ${first.id}`, '32000001', 'The Maine Woods', 'Alice Anders', PA1]) expect(`${toB[0].subject}\n${toB[0].body}`).toContain(named);
    expect(toB[0].body).toMatch(/patron asked/);
    expect(toB[0].body).toMatch(/off your pull list/);
    expect((await bStaff.get('/libraries/B/pull-list')).body.map((e: { item: { barcode: string } }) => e.item.barcode)).not.toContain('32000001');

    // placed again, and this time B cannot lend it: A, the pickup library, hears of it
    const second = await placeHold('A', PA1, recordId);
    expect(second.target.barcode).toBe('32000001');
    const byB = await bStaff.post(`/holds/${second.id}/cancel`, { reason: 'lender-unable' });
    expect(byB.status).toBe(200);
    const toA = await messagesAbout(second.id);
    expect(toA).toEqual([expect.objectContaining({ to: 'A', from: 'B' })]);
    expect(toA[0].body).toMatch(/lending library cannot fill it/);
    expect(`${toA[0].subject}\n${toA[0].body}`).toContain('Alice Anders');
    // PA1 chose email: the patron is told; A's own cancellation at her request told her nothing new
    expect(await noticesOf(second.id)).toEqual([{ kind: 'hold-cancelled', channel: 'email', state: 'pending', to_address: 'pa1@example.org' }]);
    const event = await f.t.connection.db.selectFrom('events').select(['reason', 'data']).where('kind', '=', 'hold-cancelled').where('hold_id', '=', second.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ reason: 'lender-unable', data: { messaged: ['A'] } });
  });

  it('releases a target to the next patron in line, and moves no other hold', async () => {
    const recordId = await addTitle('Cape Cod', [['B', '32000002'], ['C', '33000002']]);
    const first = await placeHold('B', PB1, recordId);
    const second = await placeHold('C', PC1, recordId);
    expect([first.target.barcode, second.target.barcode].sort()).toEqual(['32000002', '33000002']);
    const next = await placeHold('A', PA1, recordId);
    expect(next.status).toBe('waiting');
    const res = await (await f.staff('B', 'circ')).post(`/holds/${first.id}/cancel`, { reason: 'staff' });
    expect(res.status).toBe(200);
    expect((await f.admin.get(`/holds/${next.id}`)).body).toMatchObject({ status: 'targeted', target: { barcode: first.target.barcode } });
    expect((await f.admin.get(`/holds/${second.id}`)).body).toMatchObject({ status: 'targeted', target: { barcode: second.target.barcode }, targetedAt: second.targetedAt });
    // a hold picked up at B and filled by B's copy involved no other library
    expect(await messagesAbout(first.id)).toEqual([]);
  });

  it('leaves a captured item on the holds shelf for its next scan, withdraws the hold-ready call and tells the lender', async () => {
    const recordId = await addTitle('Walden', [['A', '31000003']]);
    const hold = await placeHold('B', PB1, recordId);
    await (await f.staff('A', 'circ')).post('/circulation/scan', { itemBarcode: '31000003' });
    await (await f.staff('B', 'circ')).post('/circulation/scan', { itemBarcode: '31000003' });
    expect(await noticesOf(hold.id)).toEqual([expect.objectContaining({ kind: 'hold-ready', channel: 'phone-call', state: 'pending' })]);
    const res = await (await f.staff('B', 'circ')).post(`/holds/${hold.id}/cancel`, { reason: 'staff', note: 'Patron moved away' });
    expect(res.body).toMatchObject({ status: 'cancelled', capturedItem: { barcode: '31000003' } });
    expect((await f.admin.get('/items/31000003')).body).toMatchObject({ status: 'on-holds-shelf', currentLibrary: { code: 'B' } });
    // PB1 has no email: no cancelled notice, and the phone call is off B's list
    expect(await noticesOf(hold.id)).toEqual([expect.objectContaining({ kind: 'hold-ready', state: 'cancelled' })]);
    const [toA] = await messagesAbout(hold.id);
    expect(toA).toMatchObject({ to: 'A', from: 'B' });
    expect(toA.body).toMatch(/Note: Patron moved away/);
    expect(toA.body).toMatch(/on the holds shelf at Bangor Library/);
    const scan = await (await f.staff('B', 'circ')).post('/circulation/scan', { itemBarcode: '31000003' });
    expect(scan.body).toMatchObject({ action: 'transit', destination: { code: 'A' } });
  });

  it('lets a patron cancel their own hold at their own request only; the libraries involved hear of it', async () => {
    const recordId = await addTitle('Excursions', [['C', '33000004']]);
    const hold = await placeHold('A', PA1, recordId);
    const patron = await f.t.login(PA1, fixturePatronPassword);
    expect((await patron.post(`/holds/${hold.id}/cancel`, { reason: 'staff' })).body.error.code).toBe('FORBIDDEN');
    const someoneElse = await f.t.login(PC1, fixturePatronPassword);
    expect((await someoneElse.post(`/holds/${hold.id}/cancel`, { reason: 'patron-request' })).body.error.code).toBe('FORBIDDEN');
    const res = await patron.post(`/holds/${hold.id}/cancel`, { reason: 'patron-request' });
    expect(res.status).toBe(200);
    expect(await messagesAbout(hold.id)).toEqual([expect.objectContaining({ to: 'C', from: null })]);
    expect((await messagesAbout(hold.id))[0].body).toMatch(/cancelled by the patron/);
    // they know already: no notice to themselves
    expect(await noticesOf(hold.id)).toEqual([]);
  });

  it("refuses staff of a library the hold does not involve; the consortium office may cancel any", async () => {
    const recordId = await addTitle('The Allegash', [['B', '32000005']]);
    const hold = await placeHold('A', PA1, recordId);
    const other = await (await f.staff('C', 'circ')).post(`/holds/${hold.id}/cancel`, { reason: 'staff' });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_OWN_LIBRARY');
    const office = await f.admin.post(`/holds/${hold.id}/cancel`, { reason: 'other', note: 'Duplicate record' });
    expect(office.status).toBe(200);
    expect((await messagesAbout(hold.id)).map((m) => [m.to, m.from])).toEqual([
      ['B', null],
      ['A', null],
    ]);
  });

  it('refuses a hold already cancelled or fulfilled', async () => {
    const recordId = await addTitle('Wild Fruits', [['A', '31000006']]);
    const hold = await placeHold('A', PA1, recordId);
    const desk = await f.staff('A', 'circ');
    await desk.post('/circulation/scan', { itemBarcode: '31000006' });
    expect((await desk.post('/circulation/checkout', { patronBarcode: PA1, itemBarcode: '31000006' })).body.fulfilledHoldId).toBe(hold.id);
    const fulfilled = await desk.post(`/holds/${hold.id}/cancel`, { reason: 'staff' });
    expect(fulfilled.status).toBe(409);
    expect(fulfilled.body.error.code).toBe('INVALID_STATE');
    const waiting = await placeHold('B', PB1, recordId);
    const atB = await f.staff('B', 'circ');
    expect((await atB.post(`/holds/${waiting.id}/cancel`, { reason: 'staff' })).status).toBe(200);
    expect((await atB.post(`/holds/${waiting.id}/cancel`, { reason: 'staff' })).body.error.code).toBe('INVALID_STATE');
  });

  it('refuses bad input with the field, unknown holds and anonymous callers', async () => {
    const recordId = await addTitle('Walking', [['A', '31000007']]);
    const hold = await placeHold('A', PA1, recordId);
    const desk = await f.staff('A', 'circ');
    expect((await desk.post(`/holds/${hold.id}/cancel`, {})).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    expect((await desk.post(`/holds/${hold.id}/cancel`, { reason: 'bored' })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    expect((await desk.post(`/holds/${hold.id}/cancel`, { reason: 'staff', note: '' })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'note' });
    expect((await desk.post('/holds/abc/cancel', { reason: 'staff' })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'id' });
    expect((await desk.post('/holds/999999/cancel', { reason: 'staff' })).status).toBe(404);
    expect((await f.t.anonymous.post(`/holds/${hold.id}/cancel`, { reason: 'patron-request' })).status).toBe(401);
    expect((await f.admin.get(`/holds/${hold.id}`)).body.status).toBe('targeted');
  });
});
