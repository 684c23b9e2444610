import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFixtureLibraries,
  createFixturePatrons,
  createFixtureStaff,
  createTestPatron,
  fixturePatronPassword,
  fixturePatrons,
  fixtureStaffPassword,
} from '../support/fixture';
import { createTestApp, type Caller, type TestApp } from '../support/test-app';
import { patronChecks } from '../support/patron-checks';

let t: TestApp;
let aCirc: Caller;
let bCirc: Caller;
let cCat: Caller;
let pa1: Caller;
const now = '2025-03-03T15:00:00.000Z';

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.admin();
  await createFixtureLibraries(admin);
  await createFixtureStaff(admin);
  aCirc = await t.login('a-circ', fixtureStaffPassword);
  bCirc = await t.login('b-circ', fixtureStaffPassword);
  cCat = await t.login('c-cat', fixtureStaffPassword);
  await createFixturePatrons(aCirc);
  pa1 = await t.login(fixturePatrons.PA1.barcode, fixturePatronPassword);
});
afterAll(() => t.close());

const { patronRow, libraryId, eventsOf, loginStatus } = patronChecks(() => t);

describe('POST /patrons', () => {
  it('lets circulation staff of any library register a patron of any home library', async () => {
    const res = await bCirc.post('/patrons', {
      barcode: '51000001',
      firstName: 'Rosa',
      lastName: 'Parker',
      homeLibraryCode: 'A',
      email: 'rosa@example.org',
      username: 'rosa51',
      password: 'rosa-password',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      barcode: '51000001',
      name: 'Rosa Parker',
      firstName: 'Rosa',
      lastName: 'Parker',
      homeLibrary: { code: 'A', name: 'Abbot Library' },
      email: 'rosa@example.org',
      phone: null,
      notifyBy: ['email'],
      defaultPickupLibrary: null,
      username: 'rosa51',
      blocked: false,
      blockReason: null,
      createdAt: now,
    });
    expect(res.text).not.toMatch(/argon|hash|password/i);
    const [event] = await eventsOf('51000001');
    expect(event).toMatchObject({ kind: 'patron-created', library_id: await libraryId('A'), actor_patron_id: null });
    const bCircId = (await t.connection.db.selectFrom('staff').select('id').where('username', '=', 'b-circ').executeTakeFirstOrThrow()).id;
    expect(event.staff_id).toBe(bCircId);
    expect(event.data).toMatchObject({ barcode: '51000001', hasPassword: true });
    expect(JSON.stringify(event.data)).not.toContain('rosa-password');
    expect(await loginStatus('ROSA51', 'rosa-password')).toBe(200);
    expect(await loginStatus('51000001', 'rosa-password')).toBe(200);
  });

  it('chooses notices by the contact details given, and lets a card barcode sign in without a user name', async () => {
    const phoneOnly = await aCirc.post('/patrons', { barcode: '51000002', firstName: 'P', lastName: 'Phone', homeLibraryCode: 'B', phone: '207-555-0102', password: 'phone-password' });
    expect(phoneOnly.body).toMatchObject({ notifyBy: ['phone'], username: null, homeLibrary: { code: 'B' } });
    expect(await loginStatus('51000002', 'phone-password')).toBe(200);
    const none = await aCirc.post('/patrons', { barcode: '51000003', firstName: 'N', lastName: 'None', homeLibraryCode: 'S1' });
    expect(none.body.notifyBy).toEqual([]);
    const both = await aCirc.post('/patrons', { barcode: '51000004', firstName: 'B', lastName: 'Both', homeLibraryCode: 'D', email: 'b@example.org', phone: '207-555-0104', notifyBy: ['phone', 'email'] });
    expect(both.status).toBe(201);
    expect(both.body.notifyBy).toEqual(['email', 'phone']);
  });

  it('answers bad input with 400 naming the field, and creates nothing', async () => {
    const body = { barcode: '51000099', firstName: 'Bad', lastName: 'Input', homeLibraryCode: 'A' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...body, notifyBy: ['email'] }, 'notifyBy'],
      [{ ...body, email: 'x@example.org', notifyBy: ['phone'] }, 'notifyBy'],
      [{ ...body, homeLibraryCode: 'ZZ' }, 'homeLibraryCode'],
      [{ ...body, homeLibraryCode: 'S' }, 'homeLibraryCode'],
      [{ ...body, password: 'short' }, 'password'],
      [{ ...body, email: 'not-an-email' }, 'email'],
      [{ ...body, firstName: 'Nul\u0000' }, 'firstName'],
      [{ ...body, notifyBy: ['pigeon'] }, 'notifyBy.0'],
      [{ ...body, username: 'no spaces please' }, 'username'],
      [{ barcode: '51000099', firstName: 'Bad', homeLibraryCode: 'A' }, 'lastName'],
    ];
    const eventsBefore = (await t.connection.db.selectFrom('events').select('id').execute()).length;
    for (const [input, field] of cases) {
      const res = await aCirc.post('/patrons', input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    expect((await aCirc.post('/patrons', { ...body, blocked: true })).status).toBe(400);
    expect(await patronRow('51000099')).toBeUndefined();
    expect((await t.connection.db.selectFrom('events').select('id').execute()).length).toBe(eventsBefore);
  });

  it('refuses patrons and anonymous callers', async () => {
    const body = { barcode: '51000098', firstName: 'No', lastName: 'Way', homeLibraryCode: 'A' };
    const byPatron = await pa1.post('/patrons', body);
    expect(byPatron.status).toBe(403);
    expect(byPatron.body.error.code).toBe('FORBIDDEN');
    const anonymous = await t.anonymous.post('/patrons', body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    expect(await patronRow('51000098')).toBeUndefined();
  });

  it('refuses a barcode or user name already in use by a patron or staff, ignoring case', async () => {
    await createTestPatron(aCirc, { username: 'taken-name' });
    const cases = [
      { barcode: fixturePatrons.PA1.barcode },
      { barcode: '51000097', username: 'TAKEN-NAME' },
      { barcode: '51000097', username: 'A-Circ' },
      { barcode: '51000097', username: fixturePatrons.PB1.barcode },
      { barcode: 'b-admin' },
    ];
    for (const extra of cases) {
      const res = await aCirc.post('/patrons', { firstName: 'Dup', lastName: 'Licate', homeLibraryCode: 'A', ...extra });
      expect(res.status, JSON.stringify(extra)).toBe(409);
      expect(res.body.error.code).toBe('DUPLICATE');
    }
    expect(await patronRow('51000097')).toBeUndefined();
  });
});

describe('GET /patrons?q=', () => {
  beforeAll(async () => {
    for (const [barcode, firstName, lastName] of [
      ['52000001', 'Quentin', 'Zebulon'],
      ['52000002', 'Quincy', 'Zebulon'],
      ['52000003', 'Mary', 'Zebedee'],
      ['52100000', 'Ulla', 'Under_score'],
    ]) {
      expect((await aCirc.post('/patrons', { barcode, firstName, lastName, homeLibraryCode: 'B' })).status).toBe(201);
    }
  });
  const barcodes = (res: { body: { barcode: string }[] }) => res.body.map((p) => p.barcode);

  it('finds patrons by barcode, barcode start or name, for staff of any library', async () => {
    expect(barcodes(await aCirc.get('/patrons?q=zebu'))).toEqual(['52000001', '52000002']);
    expect(barcodes(await cCat.get('/patrons?q=ZEB'))).toEqual(['52000003', '52000001', '52000002']);
    expect(barcodes(await aCirc.get('/patrons?q=quincy%20zeb'))).toEqual(['52000002']);
    expect(barcodes(await aCirc.get(`/patrons?q=${encodeURIComponent('zebulon,quen')}`))).toEqual(['52000001']);
    expect(barcodes(await aCirc.get(`/patrons?q=${encodeURIComponent('Zebulon,  Qu')}`))).toEqual(['52000001', '52000002']);
    expect(barcodes(await aCirc.get('/patrons?q=5200000'))).toEqual(['52000003', '52000001', '52000002']);
    const exact = await bCirc.get('/patrons?q=52000002');
    expect(exact.status).toBe(200);
    expect(exact.body).toEqual([expect.objectContaining({ barcode: '52000002', name: 'Quincy Zebulon', homeLibrary: { code: 'B', name: 'Bangor Library' } })]);
    expect(barcodes(await aCirc.get('/patrons?q=zeb&limit=1&offset=1'))).toEqual(['52000001']);
  });

  it('takes % and _ literally', async () => {
    expect((await aCirc.get('/patrons?q=%25')).body).toEqual([]);
    expect(barcodes(await aCirc.get('/patrons?q=under_'))).toEqual(['52100000']);
    expect((await aCirc.get('/patrons?q=unde_')).body).toEqual([]);
  });

  it('needs a search term, and refuses patrons and anonymous callers', async () => {
    for (const query of ['', '?q=', '?q=%20%20', '?q=zeb&limit=none']) {
      const res = await aCirc.get(`/patrons${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('INVALID_INPUT');
    }
    expect((await aCirc.get('/patrons')).body.error.field).toBe('q');
    expect((await pa1.get('/patrons?q=zeb')).status).toBe(403);
    expect((await t.anonymous.get('/patrons?q=zeb')).status).toBe(401);
  });
});

describe('GET /patrons/:barcode', () => {
  it("shows staff of any library the patron with open holds and loans", async () => {
    const { barcode } = await createTestPatron(aCirc);
    const empty = await cCat.get(`/patrons/${barcode}`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ barcode, homeLibrary: { code: 'A' }, holds: [], loans: [] });

    const db = t.connection.db;
    const patronId = (await patronRow(barcode))!.id;
    const [a, b] = [await libraryId('A'), await libraryId('B')];
    const record = await db.insertInto('records').values({ title: 'The Maine Woods' }).returning('id').executeTakeFirstOrThrow();
    const other = await db.insertInto('records').values({ title: 'Walden' }).returning('id').executeTakeFirstOrThrow();
    const volume = await db.insertInto('volumes').values({ record_id: record.id, library_id: b, call_number: '917.41 THO' }).returning('id').executeTakeFirstOrThrow();
    const item = (itemBarcode: string, status: string) =>
      db
        .insertInto('items')
        .values({ barcode: itemBarcode, volume_id: volume.id, record_id: record.id, owning_library_id: b, current_library_id: b, status, cataloged_at: '2024-01-01' })
        .returning('id')
        .executeTakeFirstOrThrow();
    const [lent, returned] = [await item(`I${barcode}a`, 'checked-out'), await item(`I${barcode}b`, 'available')];
    const hold = await db
      .insertInto('holds')
      .values({ type: 'title', patron_id: patronId, record_id: record.id, pickup_library_id: a, status: 'waiting', requested_at: '2025-03-01T12:00:00Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('holds')
      .values({ type: 'title', patron_id: patronId, record_id: other.id, pickup_library_id: a, status: 'cancelled', cancel_reason: 'staff', requested_at: '2025-02-01T12:00:00Z' })
      .execute();
    const loan = await db
      .insertInto('loans')
      .values({ item_id: lent.id, patron_id: patronId, library_id: b, checked_out_at: '2025-03-02T14:00:00Z', due_date: '2025-03-23', renewals: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('loans')
      .values({ item_id: returned.id, patron_id: patronId, library_id: b, checked_out_at: '2025-01-02T14:00:00Z', due_date: '2025-01-23', returned_at: '2025-01-20T14:00:00Z' })
      .execute();

    const full = await bCirc.get(`/patrons/${barcode}`);
    expect(full.body.holds).toEqual([
      { id: hold.id, type: 'title', status: 'waiting', record: { id: record.id, title: 'The Maine Woods' }, pickupLibrary: { code: 'A', name: 'Abbot Library' }, requestedAt: '2025-03-01T12:00:00.000Z' },
    ]);
    expect(full.body.loans).toEqual([
      {
        id: loan.id,
        item: { barcode: `I${barcode}a`, status: 'checked-out', library: { code: 'B', name: 'Bangor Library' } },
        record: { id: record.id, title: 'The Maine Woods' },
        dueDate: '2025-03-23',
        checkedOutAt: '2025-03-02T14:00:00.000Z',
        renewals: 1,
      },
    ]);
  });

  it('shows a patron their own account only', async () => {
    const own = await pa1.get(`/patrons/${fixturePatrons.PA1.barcode}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ barcode: '21000001', name: 'Alice Anders', email: 'pa1@example.org', notifyBy: ['email'], holds: [], loans: [] });
    expect(own.text).not.toMatch(/argon|hash/i);
    for (const barcode of [fixturePatrons.PB1.barcode, '99999999']) {
      const res = await pa1.get(`/patrons/${barcode}`);
      expect(res.status, barcode).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('answers 401 anonymous, 404 an unknown barcode and 400 a malformed one', async () => {
    expect((await t.anonymous.get(`/patrons/${fixturePatrons.PA1.barcode}`)).status).toBe(401);
    const unknown = await aCirc.get('/patrons/99999999');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await aCirc.get('/patrons/has%20space')).status).toBe(400);
  });
});

