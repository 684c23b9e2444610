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
  recordId = (await admin.post('/records', { title: 'Cape Cod' })).body.id;
});
afterAll(() => t.close());

async function locationEvents(name: string) {
  const events = await t.connection.db.selectFrom('events').selectAll().where('kind', 'in', ['location-created', 'location-updated']).orderBy('id').execute();
  return events.filter((e) => e.data.name === name || (e.data.after as { name?: string } | undefined)?.name === name);
}

describe('GET /libraries/:code/locations', () => {
  it("lists a library's shelving locations by name with how many items each shelves", async () => {
    const cataloger = await staff('C', 'cat');
    await cataloger.post('/libraries/C/locations', { name: 'Young adult', holdable: true });
    await cataloger.post('/libraries/C/locations', { name: 'Local history', holdable: false });
    for (const barcode of ['loc-list-1', 'loc-list-2']) {
      const res = await cataloger.post('/items', { recordId, libraryCode: 'C', callNumber: '974 CAP', barcode, location: 'Young adult' });
      expect(res.status, res.text).toBe(201);
    }
    const res = await (await staff('B', 'circ')).get('/libraries/C/locations');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { name: 'Local history', holdable: false, items: 0 },
      { name: 'Young adult', holdable: true, items: 2 },
    ]);
  });

  it('is for staff only and 404s an unknown library', async () => {
    expect((await t.anonymous.get('/libraries/A/locations')).status).toBe(401);
    const patron = await t.login(fixturePatrons.PA1.barcode, fixturePatronPassword);
    expect((await patron.get('/libraries/A/locations')).status).toBe(403);
    expect((await (await staff('A', 'circ')).get('/libraries/NOPE/locations')).status).toBe(404);
  });
});

describe('POST /libraries/:code/locations', () => {
  it('lets a cataloger of the library add one, with an event', async () => {
    const res = await (await staff('A', 'cat')).post('/libraries/A/locations', { name: 'Paperback rack', holdable: false });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ name: 'Paperback rack', holdable: false, items: 0 });
    const [event] = await locationEvents('Paperback rack');
    expect(event).toMatchObject({ kind: 'location-created', library_id: expect.any(Number), staff_id: expect.any(Number) });
    expect((await (await staff('A', 'cat')).post('/libraries/A/locations', { name: 'Holdable by default' })).body.holdable).toBe(true);
  });

  it('refuses a name the library already has (409), though another library may use it', async () => {
    expect((await (await staff('B', 'cat')).post('/libraries/B/locations', { name: 'Atlas case', holdable: true })).status).toBe(201);
    const again = await (await staff('B', 'admin')).post('/libraries/B/locations', { name: 'Atlas case', holdable: false });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUPLICATE');
    expect((await (await staff('C', 'cat')).post('/libraries/C/locations', { name: 'Atlas case', holdable: true })).status).toBe(201);
    expect(await locationEvents('Atlas case')).toHaveLength(2);
  });

  it('answers 400 for a bad body, 401, 403 for circulation staff and other libraries, 404 and 409 for a system', async () => {
    const cataloger = await staff('A', 'cat');
    const noName = await cataloger.post('/libraries/A/locations', { holdable: true });
    expect(noName.status).toBe(400);
    expect(noName.body.error.field).toBe('name');
    expect((await cataloger.post('/libraries/A/locations', { name: 'x', holdable: 'no' })).body.error.field).toBe('holdable');
    expect((await cataloger.post('/libraries/A/locations', { name: 'x', colour: 'red' })).status).toBe(400);
    expect((await t.anonymous.post('/libraries/A/locations', { name: 'Anon shelf' })).status).toBe(401);
    expect((await (await staff('A', 'circ')).post('/libraries/A/locations', { name: 'Circ shelf' })).body.error.code).toBe('FORBIDDEN');
    const other = await (await staff('B', 'cat')).post('/libraries/A/locations', { name: 'Foreign shelf' });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await (await t.admin()).post('/libraries/NOPE/locations', { name: 'Nowhere' })).status).toBe(404);
    expect((await (await t.admin()).post('/libraries/S/locations', { name: 'System shelf' })).status).toBe(409);
    expect(await locationEvents('Foreign shelf')).toHaveLength(0);
    expect(await locationEvents('Circ shelf')).toHaveLength(0);
  });
});

describe('PATCH /libraries/:code/locations/:name', () => {
  it("stops holds on a location's items and renames it, recording before and after", async () => {
    const cataloger = await staff('S1', 'cat');
    await cataloger.post('/libraries/S1/locations', { name: 'Display', holdable: true });
    expect((await cataloger.post('/items', { recordId, libraryCode: 'S1', callNumber: '974 CAP', barcode: 'loc-patch-1', location: 'Display' })).status).toBe(201);
    const res = await cataloger.patch('/libraries/S1/locations/Display', { holdable: false });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ name: 'Display', holdable: false, items: 1 });
    expect((await cataloger.get('/items/loc-patch-1')).body.location).toEqual({ name: 'Display', holdable: false });
    const renamed = await cataloger.patch(`/libraries/S1/locations/${encodeURIComponent('Display')}`, { name: 'Front display' });
    expect(renamed.body).toEqual({ name: 'Front display', holdable: false, items: 1 });
    const events = await t.connection.db.selectFrom('events').selectAll().where('kind', '=', 'location-updated').orderBy('id', 'desc').limit(1).execute();
    expect(events[0].data).toEqual({ before: { name: 'Display', holdable: false }, after: { name: 'Front display', holdable: false } });
    const withSpace = await cataloger.patch(`/libraries/S1/locations/${encodeURIComponent('Front display')}`, { holdable: true });
    expect(withSpace.body.holdable).toBe(true);
  });

  it('refuses a rename onto a name in use (409) and answers 400, 401, 403 and 404', async () => {
    const cataloger = await staff('S2', 'cat');
    await cataloger.post('/libraries/S2/locations', { name: 'Fiction', holdable: true });
    await cataloger.post('/libraries/S2/locations', { name: 'Nonfiction', holdable: true });
    const clash = await cataloger.patch('/libraries/S2/locations/Fiction', { name: 'Nonfiction' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('DUPLICATE');
    expect((await cataloger.patch('/libraries/S2/locations/Fiction', { holdable: 'sometimes' })).status).toBe(400);
    expect((await cataloger.patch('/libraries/S2/locations/Fiction', { name: '' })).body.error.field).toBe('name');
    expect((await t.anonymous.patch('/libraries/S2/locations/Fiction', { holdable: false })).status).toBe(401);
    expect((await (await staff('S2', 'circ')).patch('/libraries/S2/locations/Fiction', { holdable: false })).status).toBe(403);
    const other = await (await staff('S1', 'admin')).patch('/libraries/S2/locations/Fiction', { holdable: false });
    expect(other.body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await cataloger.patch('/libraries/S2/locations/Poetry', { holdable: false })).status).toBe(404);
    expect((await cataloger.patch('/libraries/NOPE/locations/Fiction', { holdable: false })).status).toBe(404);
    expect((await cataloger.get('/libraries/S2/locations')).body).toEqual([
      { name: 'Fiction', holdable: true, items: 0 },
      { name: 'Nonfiction', holdable: true, items: 0 },
    ]);
  });
});
