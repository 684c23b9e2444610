import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random';
import { createConsortiumFixture, fixturePatronPassword, fixturePatrons, type ConsortiumFixture } from '../support/fixture';
import type { ApiResponse } from '../support/test-app';
import { desk, type Desk } from '../support/desk';

// Cancel transit and the transit lists (API.md "Circulation"), through the real flow: POST /holds,
// then POST /circulation/scan at the owning library and at the pickup library.
let f: ConsortiumFixture;
const monday = '2025-03-03T15:00:00Z';
const PB1 = fixturePatrons.PB1.barcode;
const PC1 = fixturePatrons.PC1.barcode;

beforeAll(async () => {
  const random = seededRandom(33);
  f = await createConsortiumFixture(new Date(monday), { random: () => random.next() });
});
afterAll(() => f.t.close());

/** A record of its own with one copy at each library given, so every test's targeting is certain. */
// bound once the fixture exists
const d = (): Desk => desk(f);
const title: Desk['title'] = (name, copies) => d().title(name, copies);
const holdFor: Desk['holdFor'] = (patronBarcode, recordId, pickup) => d().holdFor(patronBarcode, recordId, pickup);
const scan: Desk['scan'] = (code, itemBarcode) => d().scan(code, itemBarcode);
const setClock: Desk['setClock'] = (now) => d().setClock(now);

/** Puts a copy out of reach (checked out) in the database, so that targeting passes it by. */
async function setStatus(barcode: string, status: string): Promise<void> {
  await f.t.connection.db.updateTable('items').set({ status }).where('barcode', '=', barcode).execute();
}

async function eventKinds(barcode: string): Promise<string[]> {
  const rows = await f.t.connection.db
    .selectFrom('events')
    .innerJoin('items', 'items.id', 'events.item_id')
    .select('events.kind')
    .where('items.barcode', '=', barcode)
    .orderBy('events.id')
    .execute();
  return rows.map((r) => r.kind);
}

describe('POST /items/:barcode/cancel-transit', () => {
  it('cancels a hold transit: the hold goes back to waiting and is retargeted to another copy at once', async () => {
    await setClock(monday);
    const recordId = await title('Cape Cod', { A: 'ct-a-1', C: 'ct-c-1' });
    await setStatus('ct-c-1', 'checked-out');
    const hold = await holdFor(PB1, recordId, 'B');
    expect(hold.target.barcode).toBe('ct-a-1');
    expect((await scan('A', 'ct-a-1')).body).toMatchObject({ action: 'transit', destination: { code: 'B' } });
    await setStatus('ct-c-1', 'available');

    const res = await (await f.staff('B', 'circ')).post('/items/ct-a-1/cancel-transit', { note: 'patron moved away' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ barcode: 'ct-a-1', status: 'transit-cancelled', transit: null, hold: null, currentLibrary: { code: 'B' } });
    expect(res.body.history[0]).toMatchObject({ kind: 'hold-returned-to-waiting', library: { code: 'B' }, staff: 'b-circ' });
    expect(res.body.history[1]).toMatchObject({ kind: 'transit-cancelled', reason: 'patron moved away', data: { kind: 'hold', from: 'A', to: 'B' } });
    const after = (await f.admin.get(`/holds/${hold.id}`)).body;
    expect(after).toMatchObject({ status: 'targeted', target: { barcode: 'ct-c-1' }, capturedItem: null, capturedAt: null });
    const transit = await f.t.connection.db.selectFrom('transits').selectAll().where('hold_id', '=', hold.id).executeTakeFirstOrThrow();
    expect(transit.cancel_note).toBe('patron moved away');
    expect(transit.cancelled_at?.toISOString()).toBe(new Date(monday).toISOString());

    // the next scan routes the copy: its hold has another target now, so it goes home
    expect((await scan('B', 'ct-a-1')).body).toMatchObject({ action: 'transit', destination: { code: 'A' }, item: { status: 'in-transit' } });
  });

  it('never retargets the hold to the cancelled copy before it is scanned; its next scan fills the hold again', async () => {
    await setClock(monday);
    const recordId = await title('The Allegash', { A: 'ct-a-2' });
    const hold = await holdFor(PB1, recordId, 'B');
    await scan('A', 'ct-a-2');
    // the source library may cancel too: the copy never left the building
    const res = await (await f.staff('A', 'circ')).post('/items/ct-a-2/cancel-transit');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'transit-cancelled', currentLibrary: { code: 'A' } });
    expect((await f.admin.get(`/holds/${hold.id}`)).body).toMatchObject({ status: 'waiting', target: null });
    expect((await (await f.staff('A', 'circ')).get('/libraries/A/pull-list')).body.map((r: any) => r.item.barcode)).not.toContain('ct-a-2');
    const again = await scan('A', 'ct-a-2');
    expect(again.body).toMatchObject({ action: 'transit', destination: { code: 'B' }, patron: { barcode: PB1 } });
    expect((await f.admin.get(`/holds/${hold.id}`)).body.status).toBe('in-transit');
  });

  it('cancels a return transit, and the owning library shelves the copy on its next scan', async () => {
    await setClock(monday);
    await title('Walking', { A: 'ct-a-3' });
    expect((await scan('B', 'ct-a-3')).body).toMatchObject({ action: 'transit', destination: { code: 'A' } });
    const res = await f.admin.post('/items/ct-a-3/cancel-transit', {});
    expect(res.status, res.text).toBe(200);
    // the consortium office has no desk: the copy stays where it was last seen
    expect(res.body).toMatchObject({ status: 'transit-cancelled', currentLibrary: { code: 'B' } });
    expect(await eventKinds('ct-a-3')).not.toContain('hold-returned-to-waiting');
    expect((await scan('A', 'ct-a-3')).body).toMatchObject({ action: 'shelve', item: { status: 'available' } });
  });

  it('refuses: 400 bad note, 401 anonymous, 403 patron and other libraries, 404 unknown, 409 not in transit', async () => {
    await setClock(monday);
    await title('Wild Fruits', { A: 'ct-a-4' });
    await scan('B', 'ct-a-4');
    const atC = await f.staff('C', 'circ');
    expect((await atC.post('/items/ct-a-4/cancel-transit', { note: '' })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'note' });
    expect((await atC.post('/items/ct-a-4/cancel-transit', { note: 7 })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'note' });
    expect((await f.t.anonymous.post('/items/ct-a-4/cancel-transit', {})).status).toBe(401);
    const patron = await f.t.login(PB1, fixturePatronPassword);
    expect((await patron.post('/items/ct-a-4/cancel-transit', {})).body.error.code).toBe('FORBIDDEN');
    const other = await atC.post('/items/ct-a-4/cancel-transit', {});
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'NOT_OWN_LIBRARY', message: expect.stringMatching(/B or A/) });
    expect((await atC.post('/items/no-such-copy/cancel-transit', {})).status).toBe(404);
    expect((await (await f.staff('A', 'circ')).post('/items/ct-a-4/cancel-transit', {})).status).toBe(200);
    const twice = await (await f.staff('A', 'circ')).post('/items/ct-a-4/cancel-transit', {});
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('INVALID_STATE');
  });
});

describe('GET /libraries/:code/transits', () => {
  it('lists open transits in and out, each saying its direction, with its hold and days in transit', async () => {
    await setClock(monday);
    const r1 = await title('Excursions', { A: 'tl-a-1' });
    const hold = await holdFor(PC1, r1, 'C');
    await scan('A', 'tl-a-1'); // A → C for PC1
    await title('Autumnal Tints', { C: 'tl-c-1' });
    await scan('A', 'tl-c-1'); // A → C, going home
    await title('Civil Disobedience', { B: 'tl-b-1' });
    await scan('C', 'tl-b-1'); // C → B, not A's business
    await setClock('2025-03-06T16:00:00Z');
    const staff = await f.staff('A', 'circ');
    const both = (await staff.get('/libraries/A/transits')).body.filter((r: any) => r.item.barcode.startsWith('tl-'));
    expect(both.map((r: any) => r.item.barcode)).toEqual(['tl-a-1', 'tl-c-1']);
    expect(both[0]).toEqual({
      id: expect.any(Number),
      kind: 'hold',
      direction: 'outgoing',
      item: { barcode: 'tl-a-1', status: 'in-transit', library: { code: 'A', name: 'Abbot Library' }, title: 'Excursions', callNumber: 'F THO' },
      source: { code: 'A', name: 'Abbot Library' },
      destination: { code: 'C', name: 'Camden Library' },
      sentAt: new Date(monday).toISOString(),
      hold: { id: hold.id, status: 'in-transit', patron: { barcode: PC1, name: 'Carl Crane' }, pickupLibrary: { code: 'C', name: 'Camden Library' } },
      daysInTransit: 3,
    });
    expect(both[1]).toMatchObject({ kind: 'return', direction: 'outgoing', hold: null });
    const incoming = (await (await f.staff('C', 'circ')).get('/libraries/C/transits?direction=incoming')).body.filter((r: any) => r.item.barcode.startsWith('tl-'));
    expect(incoming.map((r: any) => [r.item.barcode, r.direction])).toEqual([
      ['tl-a-1', 'incoming'],
      ['tl-c-1', 'incoming'],
    ]);
    const outgoing = (await (await f.staff('C', 'circ')).get('/libraries/C/transits?direction=outgoing')).body.filter((r: any) => r.item.barcode.startsWith('tl-'));
    expect(outgoing.map((r: any) => [r.item.barcode, r.direction])).toEqual([['tl-b-1', 'outgoing']]);
    // received transits leave the list
    await scan('C', 'tl-a-1');
    const later = (await (await f.staff('C', 'circ')).get('/libraries/C/transits?direction=incoming&limit=1')).body.filter((r: any) => r.item.barcode.startsWith('tl-'));
    expect(later.map((r: any) => r.item.barcode)).toEqual(['tl-c-1']);
  });

  it('refuses: 400 bad direction, 401, 403 patron and other libraries, 404 unknown library; an admin sees any', async () => {
    const staff = await f.staff('A', 'circ');
    expect((await staff.get('/libraries/A/transits?direction=sideways')).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'direction' });
    expect((await f.t.anonymous.get('/libraries/A/transits')).status).toBe(401);
    expect((await (await f.t.login(PB1, fixturePatronPassword)).get('/libraries/B/transits')).status).toBe(403);
    expect((await staff.get('/libraries/B/transits')).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await staff.get('/libraries/NOPE/transits')).status).toBe(404);
    const admin = await f.admin.get('/libraries/B/transits');
    expect(admin.status).toBe(200);
    expect(Array.isArray(admin.body)).toBe(true);
  });
});

describe('scenarios', () => {
  it('33. Cancel transit', async () => {
    await setClock(monday);
    // 16: PB1's hold targets A's copy (B's copy is out); A scans it and sends it to B
    const recordId = await title('The Maine Woods (33)', { A: '31000033', B: '32000033' });
    await setStatus('32000033', 'checked-out');
    const hold = await holdFor(PB1, recordId, 'B');
    expect(hold.target.barcode).toBe('31000033');
    expect((await scan('A', '31000033')).body).toMatchObject({ action: 'transit', destination: { code: 'B' }, patron: { barcode: PB1 } });
    // B no longer needs it: staff at B cancel PB1's hold, then the transit from the item screen
    const b = await f.staff('B', 'circ');
    const cancelHold = await b.post(`/holds/${hold.id}/cancel`, { reason: 'staff', note: 'no longer needed' });
    expect(cancelHold.status, cancelHold.text).toBe(200);
    const cancelled = await b.post('/items/31000033/cancel-transit', { note: 'hold cancelled, no longer needed' });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'transit-cancelled', transit: null });
    expect((await f.admin.get(`/holds/${hold.id}`)).body.status).toBe('cancelled');
    expect((await b.get('/libraries/B/transits?direction=incoming')).body.map((r: any) => r.item.barcode)).not.toContain('31000033');
    // the item is routed home by its next scan, and A shelves it
    const atB = await scan('B', '31000033');
    expect(atB.body).toMatchObject({ action: 'transit', destination: { code: 'A' } });
    expect(atB.body.hold).toBeUndefined();
    const atA = await scan('A', '31000033');
    expect(atA.body).toMatchObject({ action: 'shelve', item: { status: 'available' } });
    expect((await b.get('/items/31000033')).body).toMatchObject({ status: 'available', currentLibrary: { code: 'A' } });
    expect(await eventKinds('31000033')).toEqual(expect.arrayContaining(['transit-cancelled', 'transit-sent', 'transit-received']));
  });
});
