import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumFixture, createTestPatron, fixturePatronPassword, fixturePatrons, type ConsortiumFixture } from '../support/fixture';
import type { ApiResponse } from '../support/test-app';
import { desk, type Desk } from '../support/desk';

// The holds shelf, its clear-shelf list and clearing, and job shelf-expiry (API.md "Circulation",
// "Operations"), through the real flow: POST /holds, scans, POST /admin/clock to let time pass.
// Each test shelves at a library of its own, so that one test's clearing leaves the others alone.
let f: ConsortiumFixture;
const monday = '2025-03-03T15:00:00Z';
const PA1 = fixturePatrons.PA1.barcode;
const PB1 = fixturePatrons.PB1.barcode;
const PC1 = fixturePatrons.PC1.barcode;

beforeAll(async () => {
  f = await createConsortiumFixture(new Date(monday));
});
afterAll(() => f.t.close());

// bound once the fixture exists
const d = (): Desk => desk(f, (barcode) => `F THO ${barcode}`);
const title: Desk['title'] = (name, copies) => d().title(name, copies);
const holdFor: Desk['holdFor'] = (patronBarcode, recordId, pickup) => d().holdFor(patronBarcode, recordId, pickup);
const scan: Desk['scan'] = (code, itemBarcode) => d().scan(code, itemBarcode);
const setClock: Desk['setClock'] = (now) => d().setClock(now);

/** A title whose one copy, owned by `owner`, ends up on `pickup`'s holds shelf for the patron. */
async function shelved(patronBarcode: string, name: string, owner: string, pickup: string, barcode: string): Promise<Record<string, any>> {
  const recordId = await title(name, { [owner]: barcode });
  const hold = await holdFor(patronBarcode, recordId, pickup);
  await scan(owner, barcode);
  if (owner !== pickup) await scan(pickup, barcode);
  return { ...hold, recordId };
}

async function noticesOf(holdId: number) {
  return f.t.connection.db.selectFrom('notices').selectAll().where('hold_id', '=', holdId).orderBy('id').execute();
}

describe('GET /libraries/:code/holds-shelf', () => {
  it('lists the shelf by patron last name with shelf expiry; expired=true gives the clear-shelf list', async () => {
    await setClock(monday);
    const zimmer = await createTestPatron(await f.staff('C', 'circ'), { lastName: 'Zimmer', homeLibraryCode: 'C' });
    const adams = await createTestPatron(await f.staff('C', 'circ'), { lastName: 'Adams', homeLibraryCode: 'C' });
    const first = await shelved(zimmer.barcode, 'Faith in a Seed', 'C', 'C', 'hs-c-1'); // expires Mon 03-10 17:00
    await setClock('2025-03-05T15:00:00Z');
    const second = await shelved(adams.barcode, 'The Dispersion of Seeds', 'C', 'C', 'hs-c-2'); // expires Wed 03-12 17:00
    const third = await shelved(PC1, 'Letters to a Spiritual Seeker', 'A', 'C', 'hs-a-1');
    await setClock('2025-03-11T15:00:00Z');
    const staff = await f.staff('C', 'circ');
    const shelf = await staff.get('/libraries/C/holds-shelf');
    expect(shelf.status, shelf.text).toBe(200);
    expect(shelf.body.map((r: any) => r.patron.name)).toEqual(['Test Adams', 'Carl Crane', 'Test Zimmer']);
    expect(shelf.body[2]).toEqual({
      hold: { id: first.id },
      item: { barcode: 'hs-c-1', title: 'Faith in a Seed', callNumber: 'F THO hs-c-1' },
      patron: { barcode: zimmer.barcode, name: 'Test Zimmer' },
      shelvedAt: new Date(monday).toISOString(),
      shelfExpiresAt: '2025-03-10T21:00:00.000Z',
      expired: true,
    });
    expect(shelf.body[0]).toMatchObject({ hold: { id: second.id }, shelfExpiresAt: '2025-03-12T21:00:00.000Z', expired: false });
    expect(shelf.body[1]).toMatchObject({ hold: { id: third.id }, item: { barcode: 'hs-a-1' }, expired: false });
    const expired = await staff.get('/libraries/C/holds-shelf?expired=true');
    expect(expired.body.map((r: any) => r.item.barcode)).toEqual(['hs-c-1']);
    expect((await staff.get('/libraries/C/holds-shelf?expired=false&limit=1&offset=1')).body.map((r: any) => r.item.barcode)).toEqual(['hs-a-1']);
  });

  it('refuses: 400 bad expired, 401, 403 patron and other libraries, 404 unknown library; an admin sees any', async () => {
    const staff = await f.staff('A', 'circ');
    expect((await staff.get('/libraries/A/holds-shelf?expired=maybe')).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'expired' });
    expect((await f.t.anonymous.get('/libraries/A/holds-shelf')).status).toBe(401);
    expect((await (await f.t.login(PA1, fixturePatronPassword)).get('/libraries/A/holds-shelf')).body.error.code).toBe('FORBIDDEN');
    expect((await staff.get('/libraries/B/holds-shelf')).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await staff.get('/libraries/NOPE/holds-shelf')).status).toBe(404);
    expect((await f.admin.get('/libraries/B/holds-shelf')).status).toBe(200);
  });
});

describe('POST /libraries/:code/holds-shelf/clear', () => {
  it('cancels only expired holds (not picked up), emails a patron who chose email, withdraws the unsent ready notice', async () => {
    await setClock(monday);
    const expiring = await shelved(PA1, 'Journal, Volume 1', 'S2', 'S2', 'cl-s2-1');
    await setClock('2025-03-06T15:00:00Z');
    const fresh = await shelved(PA1, 'Journal, Volume 2', 'S2', 'S2', 'cl-s2-2');
    expect((await noticesOf(expiring.id)).map((n) => [n.kind, n.channel, n.state])).toEqual([['hold-ready', 'email', 'pending']]);
    await setClock('2025-03-10T21:00:00Z'); // the very moment of expiry
    const res = await (await f.staff('S2', 'circ')).post('/libraries/S2/holds-shelf/clear');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      cleared: 1,
      items: [{ barcode: 'cl-s2-1', title: 'Journal, Volume 1', callNumber: 'F THO cl-s2-1', patron: { barcode: PA1, name: 'Alice Anders' } }],
    });
    expect(await f.admin.get(`/holds/${expiring.id}`).then((r) => r.body)).toMatchObject({ status: 'cancelled', cancelReason: 'not-picked-up', cancelledAt: '2025-03-10T21:00:00.000Z' });
    expect((await f.admin.get(`/holds/${fresh.id}`)).body.status).toBe('on-holds-shelf');
    const notices = await noticesOf(expiring.id);
    expect(notices.map((n) => [n.kind, n.channel, n.state, n.to_address])).toEqual([
      ['hold-ready', 'email', 'cancelled', 'pa1@example.org'],
      ['hold-cancelled', 'email', 'pending', 'pa1@example.org'],
    ]);
    expect(notices[1].subject).toBe('Your hold was cancelled: Journal, Volume 1');
    expect(notices[1].body).toMatch(/not picked up/);
    // the item waits for its scan; nothing else changed it
    expect((await (await f.staff('S2', 'circ')).get('/items/cl-s2-1')).body).toMatchObject({ status: 'on-holds-shelf', currentLibrary: { code: 'S2' } });
    const event = await f.t.connection.db.selectFrom('events').selectAll().where('hold_id', '=', expiring.id).where('kind', '=', 'hold-cancelled').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ reason: 'not-picked-up', library_id: expect.any(Number) });
    // clearing again finds nothing more
    expect((await (await f.staff('S2', 'circ')).post('/libraries/S2/holds-shelf/clear')).body).toEqual({ cleared: 0, items: [] });
  });

  it('refuses: 400 bad code, 401, 403 patron and other libraries, 404 unknown library; an admin clears any', async () => {
    const staff = await f.staff('A', 'circ');
    expect((await staff.post('/libraries/no%20such/holds-shelf/clear')).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'code' });
    expect((await f.t.anonymous.post('/libraries/A/holds-shelf/clear')).status).toBe(401);
    expect((await (await f.t.login(PA1, fixturePatronPassword)).post('/libraries/A/holds-shelf/clear')).status).toBe(403);
    expect((await staff.post('/libraries/B/holds-shelf/clear')).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await staff.post('/libraries/NOPE/holds-shelf/clear')).status).toBe(404);
    const admin = await f.admin.post('/libraries/D/holds-shelf/clear');
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({ cleared: 0, items: [] });
  });
});

describe('job shelf-expiry', () => {
  it('clears every library’s expired holds, once', async () => {
    await setClock(monday);
    const hold = await shelved(PA1, 'Cape Cod (S1)', 'S1', 'S1', 'job-s1-1');
    await setClock('2025-03-12T12:00:00Z');
    const run = await f.admin.post('/admin/jobs/shelf-expiry/run');
    expect(run.status, run.text).toBe(200);
    expect(run.body).toMatchObject({ name: 'shelf-expiry', state: 'done' });
    expect(run.body.summary.cleared).toBeGreaterThanOrEqual(1);
    expect((await f.admin.get(`/holds/${hold.id}`)).body).toMatchObject({ status: 'cancelled', cancelReason: 'not-picked-up' });
    expect((await noticesOf(hold.id)).filter((n) => n.kind === 'hold-cancelled')).toHaveLength(1);
    // no desk acted: S1's staff learn from a message that the copy is to come off their shelf
    const message = (await (await f.staff('S1', 'circ')).get('/libraries/S1/messages')).body.find((m: any) => m.hold?.id === hold.id);
    expect(message).toMatchObject({ kind: 'hold-cancelled', from: null, body: expect.stringMatching(/Take job-s1-1 off your holds shelf and scan it/) });
    expect((await f.admin.post('/admin/jobs/shelf-expiry/run')).body.summary).toEqual({ cleared: 0 });
  });
});

describe('scenarios', () => {
  it('36. Clear shelf', async () => {
    await setClock(monday);
    // two of A's copies reach B's shelf for PB1; PC1 waits for the first title meanwhile
    const next = await shelved(PB1, 'The Maine Woods (36)', 'A', 'B', '31000036');
    const home = await shelved(PB1, 'Cape Cod (36)', 'A', 'B', '31000136');
    const waiting = await holdFor(PC1, next.recordId, 'C');
    expect(waiting.status).toBe('waiting');
    await setClock('2025-03-11T14:00:00Z'); // Tuesday 10:00, past Monday's 17:00 expiry
    const b = await f.staff('B', 'circ');
    const list = (await b.get('/libraries/B/holds-shelf?expired=true')).body.filter((r: any) => r.item.barcode.endsWith('36'));
    expect(list.map((r: any) => [r.item.barcode, r.patron.barcode, r.expired])).toEqual([
      ['31000036', PB1, true],
      ['31000136', PB1, true],
    ]);
    const cleared = await b.post('/libraries/B/holds-shelf/clear');
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.body.items.map((i: any) => i.barcode).sort()).toEqual(['31000036', '31000136']);
    expect((await f.admin.get(`/holds/${next.id}`)).body).toMatchObject({ status: 'cancelled', cancelReason: 'not-picked-up' });
    // PB1 has no email: the notice is a call for B's desk, and the unmade "ready" call is withdrawn
    expect((await noticesOf(next.id)).map((n) => [n.kind, n.channel, n.state])).toEqual([
      ['hold-ready', 'phone-call', 'cancelled'],
      ['hold-cancelled', 'phone-call', 'pending'],
    ]);
    expect((await b.get('/libraries/B/holds-shelf')).body.map((r: any) => r.item.barcode)).not.toContain('31000036');
    // A, whose copy it is, hears of it; B cleared the shelf itself and needs no message
    const toA = (await (await f.staff('A', 'circ')).get('/libraries/A/messages')).body.find((m: any) => m.hold?.id === next.id);
    expect(toA).toMatchObject({ kind: 'hold-cancelled', from: { code: 'B' }, body: expect.stringMatching(/not picked up in time/) });
    expect((await b.get('/libraries/B/messages')).body.find((m: any) => m.hold?.id === next.id)).toBeUndefined();
    // the next scan routes each item: to the next hold in line, or home
    const toNext = await scan('B', '31000036');
    expect(toNext.body).toMatchObject({ action: 'transit', destination: { code: 'C' }, patron: { barcode: PC1 }, hold: { id: waiting.id, status: 'in-transit' } });
    const toHome = await scan('B', '31000136');
    expect(toHome.body).toMatchObject({ action: 'transit', destination: { code: 'A' }, item: { status: 'in-transit' } });
    expect(toHome.body.hold).toBeUndefined();
    expect((await scan('A', '31000136')).body).toMatchObject({ action: 'shelve', item: { status: 'available' } });
  });
});
