import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsortiumFixture,
  fixturePatronPassword,
  fixturePatrons,
  type ConsortiumFixture,
  type FixtureStaffKind,
} from '../support/fixture';
import { createTestApp, type Caller, type TestApp } from '../support/test-app';

let t: TestApp;
let recordId: number;
let fixture: ConsortiumFixture;

function staff(libraryCode: string, kind: FixtureStaffKind): Promise<Caller> {
  return fixture.staff(libraryCode, kind);
}

beforeAll(async () => {
  fixture = await createConsortiumFixture();
  t = fixture.t;
  const admin = fixture.admin;
  recordId = (await admin.post('/records', { title: 'The Maine Woods', author: 'Thoreau' })).body.id;
});
afterAll(() => t.close());

async function addItem(barcode: string, extra: Record<string, unknown> = {}, caller?: Caller): Promise<Record<string, any>> {
  const res = await (caller ?? (await staff('A', 'cat'))).post('/items', { recordId, libraryCode: 'A', callNumber: 'F THO', barcode, ...extra });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function itemRow(barcode: string) {
  return t.connection.db.selectFrom('items').selectAll().where('barcode', '=', barcode).executeTakeFirst();
}

async function eventsOf(barcode: string) {
  const item = await itemRow(barcode);
  return t.connection.db.selectFrom('events').selectAll().where('item_id', '=', item!.id).orderBy('id').execute();
}

async function tableCount(table: 'items' | 'volumes' | 'shelving_locations' | 'events'): Promise<number> {
  return Number((await t.connection.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
}

async function patronId(barcode: string): Promise<number> {
  return (await t.connection.db.selectFrom('patrons').select('id').where('barcode', '=', barcode).executeTakeFirstOrThrow()).id;
}

async function libraryId(code: string): Promise<number> {
  return (await t.connection.db.selectFrom('libraries').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

describe('POST /items', () => {
  it("adds an available item at its owning library, dated today in the library's time zone", async () => {
    // 03:00 UTC on 4 March is still 3 March in Maine
    t.clock.set(new Date('2025-03-04T03:00:00Z'));
    try {
      const item = await addItem('it-new-1', { location: 'New Books', ageProtection: '3m' });
      expect(item).toMatchObject({
        barcode: 'it-new-1',
        status: 'available',
        library: { code: 'A', name: 'Abbot Library' },
        owningLibrary: { code: 'A', name: 'Abbot Library' },
        currentLibrary: { code: 'A', name: 'Abbot Library' },
        record: { id: recordId, title: 'The Maine Woods', author: 'Thoreau' },
        callNumber: 'F THO',
        location: { name: 'New Books', holdable: true },
        holdable: true,
        circulates: true,
        catalogedAt: '2025-03-03',
        ageProtection: '3m',
        protectedUntil: '2025-06-03',
        hold: null,
        transit: null,
        loan: null,
        circulations: 0,
        flags: [],
      });
      expect(item.volume).toEqual({ id: expect.any(Number), callNumber: 'F THO' });
      expect(item.history).toMatchObject([{ kind: 'item-created', library: { code: 'A', name: 'Abbot Library' }, staff: 'a-cat' }]);
      const [event] = await eventsOf('it-new-1');
      expect(event).toMatchObject({ kind: 'item-created', record_id: recordId, library_id: await libraryId('A') });
    } finally {
      t.clock.set(new Date('2025-03-03T15:00:00Z'));
    }
  });

  it('finds the volume by library and call number, and creates a new one for a new call number', async () => {
    const first = await addItem('it-vol-1', { callNumber: '917.41 THO' });
    const second = await addItem('it-vol-2', { callNumber: '917.41 THO' });
    const other = await addItem('it-vol-3', { callNumber: '917.41 THO c.2' });
    expect(second.volume.id).toBe(first.volume.id);
    expect(other.volume.id).not.toBe(first.volume.id);
    const atB = await addItem('it-vol-4', { libraryCode: 'B', callNumber: '917.41 THO' }, await staff('B', 'cat'));
    expect(atB.volume.id).not.toBe(first.volume.id);
    expect(atB.owningLibrary.code).toBe('B');
  });

  it('creates an unknown shelving location as holdable and reuses a known one', async () => {
    await addItem('it-loc-1', { location: 'Oversize items' });
    await addItem('it-loc-2', { location: 'Oversize items', catalogedAt: '2024-01-01', holdable: false, circulates: false });
    const locations = await (await staff('A', 'circ')).get('/libraries/A/locations');
    expect(locations.body).toContainEqual({ name: 'Oversize items', holdable: true, items: 2 });
    const second = await t.connection.db.selectFrom('items').selectAll().where('barcode', '=', 'it-loc-2').executeTakeFirstOrThrow();
    expect(second).toMatchObject({ cataloged_at: '2024-01-01', holdable: false, circulates: false });
    const created = await t.connection.db.selectFrom('events').selectAll().where('kind', '=', 'location-created').execute();
    expect(created.filter((e) => e.data.name === 'Oversize items')).toHaveLength(1);
  });

  it.each([
    [{ recordId: 999999 }, 'recordId'],
    [{ libraryCode: 'NOPE' }, 'libraryCode'],
    [{ libraryCode: 'S' }, 'libraryCode'],
    [{ ageProtection: '2m' }, 'ageProtection'],
    [{ catalogedAt: '2025-02-30' }, 'catalogedAt'],
    [{ callNumber: '' }, 'callNumber'],
    [{ barcode: 'has space' }, 'barcode'],
    [{ shelf: 'x' }, 'body'],
  ])('answers 400 for %j, naming %s, and changes nothing', async (change, field) => {
    const before = [await tableCount('items'), await tableCount('volumes'), await tableCount('events')];
    const body = { recordId, libraryCode: 'A', callNumber: 'F THO 400', barcode: 'it-bad-1', location: 'Never made', ...change };
    const res = await (await t.admin()).post('/items', body);
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    if (field !== 'body') expect(res.body.error.field).toBe(field);
    expect([await tableCount('items'), await tableCount('volumes'), await tableCount('events')]).toEqual(before);
  });

  it("refuses anonymous callers, circulation staff and another library's cataloger; a consortium admin adds anywhere", async () => {
    const body = { recordId, libraryCode: 'A', callNumber: 'F THO', barcode: 'it-rights-1' };
    expect((await t.anonymous.post('/items', body)).status).toBe(401);
    expect((await (await staff('A', 'circ')).post('/items', body)).body.error.code).toBe('FORBIDDEN');
    const other = await (await staff('B', 'cat')).post('/items', body);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_OWN_LIBRARY');
    expect(await itemRow('it-rights-1')).toBeUndefined();
    expect((await (await t.admin()).post('/items', { ...body, libraryCode: 'S2' })).status).toBe(201);
  });

  it('refuses a barcode already in use (409) without leaving a volume or location behind', async () => {
    await addItem('it-dup-1');
    const before = [await tableCount('volumes'), await tableCount('shelving_locations')];
    const res = await (await staff('A', 'cat')).post('/items', { recordId, libraryCode: 'A', callNumber: 'brand new call number', barcode: 'it-dup-1', location: 'Brand new shelf' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('DUPLICATE');
    expect([await tableCount('volumes'), await tableCount('shelving_locations')]).toEqual(before);
  });
});

describe('GET /items/:barcode', () => {
  it('shows the hold, transit and loan bound to the item, and its history newest first', async () => {
    await addItem('it-screen-1', { location: 'Stacks' });
    await addItem('it-screen-2');
    const db = t.connection.db;
    const [a, b] = [await libraryId('A'), await libraryId('B')];
    const pb1 = await patronId(fixturePatrons.PB1.barcode);
    const pa1 = await patronId(fixturePatrons.PA1.barcode);
    const one = (await itemRow('it-screen-1'))!;
    const two = (await itemRow('it-screen-2'))!;
    const sentAt = new Date('2025-03-03T14:00:00Z');
    const hold = await db
      .insertInto('holds')
      .values({ type: 'title', patron_id: pb1, record_id: recordId, pickup_library_id: b, status: 'in-transit', requested_at: sentAt, captured_item_id: one.id, captured_at: sentAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    const transit = await db
      .insertInto('transits')
      .values({ item_id: one.id, kind: 'hold', hold_id: hold.id, source_library_id: a, destination_library_id: b, sent_at: sentAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('items').set({ status: 'in-transit' }).where('id', '=', one.id).execute();
    await db.insertInto('events').values({ at: sentAt, kind: 'transit-sent', item_id: one.id, library_id: a, reason: 'hold', data: JSON.stringify({ to: 'B' }) }).execute();
    const loan = await db
      .insertInto('loans')
      .values({ item_id: two.id, patron_id: pa1, library_id: a, checked_out_at: sentAt, due_date: '2025-03-24' })
      .returning('id')
      .executeTakeFirstOrThrow();

    const screen = await (await staff('C', 'circ')).get('/items/it-screen-1');
    expect(screen.status, screen.text).toBe(200);
    expect(screen.body).toMatchObject({
      status: 'in-transit',
      location: { name: 'Stacks', holdable: true },
      hold: { id: hold.id, status: 'in-transit', patron: { barcode: '22000001', name: 'Betty Bishop' }, pickupLibrary: { code: 'B', name: 'Bangor Library' } },
      transit: { id: transit.id, kind: 'hold', source: { code: 'A', name: 'Abbot Library' }, destination: { code: 'B', name: 'Bangor Library' }, sentAt: sentAt.toISOString() },
      loan: null,
    });
    expect(screen.body.history.map((e: { kind: string }) => e.kind)).toEqual(['transit-sent', 'item-created']);
    expect(screen.body.history[0]).toEqual({ at: sentAt.toISOString(), kind: 'transit-sent', library: { code: 'A', name: 'Abbot Library' }, staff: null, reason: 'hold', data: { to: 'B' } });
    const loaned = await (await staff('A', 'circ')).get('/items/it-screen-2');
    expect(loaned.body.loan).toEqual({ id: loan.id, patron: { barcode: '21000001', name: 'Alice Anders' }, dueDate: '2025-03-24', checkedOutAt: sentAt.toISOString() });
    expect(loaned.body.hold).toBeNull();
  });

  it('flags an item that travelled bounceTransits times in bounceDays days without a loan', async () => {
    await addItem('it-bounce-1');
    const item = (await itemRow('it-bounce-1'))!;
    const [a, b] = [await libraryId('A'), await libraryId('B')];
    const sent = (day: number) => new Date(`2025-03-0${day}T12:00:00Z`);
    for (const day of [1, 2]) {
      await t.connection.db
        .insertInto('transits')
        .values({ item_id: item.id, kind: 'return', source_library_id: day % 2 ? a : b, destination_library_id: day % 2 ? b : a, sent_at: sent(day), received_at: sent(day) })
        .execute();
    }
    const cataloger = await staff('A', 'cat');
    expect((await cataloger.get('/items/it-bounce-1')).body.flags).toEqual([]);
    await (await t.admin()).patch('/consortium', { bounceTransits: 2 });
    try {
      expect((await cataloger.get('/items/it-bounce-1')).body.flags).toEqual(['bouncing']);
    } finally {
      await (await t.admin()).patch('/consortium', { bounceTransits: 4 });
    }
  });

  it('is for staff only (401, 403 for a patron) and 404s an unknown barcode', async () => {
    await addItem('it-who-1');
    expect((await t.anonymous.get('/items/it-who-1')).status).toBe(401);
    const patron = await t.login(fixturePatrons.PA2.barcode, fixturePatronPassword);
    expect((await patron.get('/items/it-who-1')).status).toBe(403);
    const missing = await (await staff('A', 'circ')).get('/items/no-such-item');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});

describe('PATCH /items/:barcode', () => {
  it('changes location, holdability, age protection and status, with one item-updated event', async () => {
    await addItem('it-edit-1', { catalogedAt: '2025-01-31' });
    const res = await (await staff('A', 'cat')).patch('/items/it-edit-1', { location: 'Reference', holdable: false, ageProtection: '1m', status: 'damaged' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ location: { name: 'Reference', holdable: true }, holdable: false, ageProtection: '1m', protectedUntil: '2025-02-28', status: 'damaged' });
    const events = await eventsOf('it-edit-1');
    expect(events.map((e) => e.kind)).toEqual(['item-created', 'item-updated']);
    expect(events[1].data).toEqual({
      before: { status: 'available', holdable: true, ageProtection: 'none', location: null },
      after: { status: 'damaged', holdable: false, ageProtection: '1m', location: 'Reference' },
    });
    expect(events[1]).toMatchObject({ record_id: recordId, library_id: await libraryId('A') });
    expect(res.body.history[0]).toMatchObject({ kind: 'item-updated', staff: 'a-cat' });
  });

  it('writes no event when nothing changes, and takes an item off its location with null', async () => {
    await addItem('it-edit-2', { location: 'Stacks' });
    await (await staff('A', 'admin')).patch('/items/it-edit-2', { holdable: true, status: 'available' });
    expect((await eventsOf('it-edit-2')).map((e) => e.kind)).toEqual(['item-created']);
    const res = await (await staff('A', 'admin')).patch('/items/it-edit-2', { location: null });
    expect(res.body.location).toBeNull();
  });

  it.each(['checked-out', 'in-transit', 'on-holds-shelf', 'transit-cancelled'])('refuses to set the status of an item that is %s (409)', async (status) => {
    const barcode = `it-locked-${status}`;
    await addItem(barcode);
    await t.connection.db.updateTable('items').set({ status }).where('barcode', '=', barcode).execute();
    const res = await (await staff('A', 'cat')).patch(`/items/${barcode}`, { status: 'missing' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INVALID_STATE');
    expect(res.body.error.message).toContain(barcode);
    expect((await itemRow(barcode))!.status).toBe(status);
    expect((await eventsOf(barcode)).map((e) => e.kind)).toEqual(['item-created']);
    // what does not touch the status is still allowed
    expect((await (await staff('A', 'cat')).patch(`/items/${barcode}`, { circulates: false })).status).toBe(200);
  });

  it.each([
    [{ status: 'checked-out' }, 'status'],
    [{ status: 'in-process' }, 'status'],
    [{ ageProtection: '12m' }, 'ageProtection'],
    [{ holdable: 'yes' }, 'holdable'],
    [{ barcode: 'renamed' }, 'body'],
  ])('answers 400 for %j, naming %s', async (body, field) => {
    const barcode = `it-bad-patch-${Object.values(body)[0]}`;
    await addItem(barcode);
    const res = await (await staff('A', 'cat')).patch(`/items/${barcode}`, body);
    expect(res.status).toBe(400);
    if (field !== 'body') expect(res.body.error.field).toBe(field);
  });

  it("refuses anonymous callers, circulation staff and another library's cataloger, and 404s an unknown barcode", async () => {
    await addItem('it-edit-rights');
    expect((await t.anonymous.patch('/items/it-edit-rights', { holdable: false })).status).toBe(401);
    expect((await (await staff('A', 'circ')).patch('/items/it-edit-rights', { holdable: false })).status).toBe(403);
    const other = await (await staff('B', 'admin')).patch('/items/it-edit-rights', { holdable: false });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await itemRow('it-edit-rights'))!.holdable).toBe(true);
    expect((await (await staff('A', 'cat')).patch('/items/nothing-here', { holdable: false })).status).toBe(404);
  });
});
