import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFixtureLibraries,
  createFixturePatrons,
  createFixtureStaff,
  createTestPatron,
  fixturePatrons,
  fixtureStaffPassword,
} from '../support/fixture';
import { createTestApp, type Caller, type TestApp } from '../support/test-app';
import { patronChecks } from '../support/patron-checks';

// PATCH /patrons/:barcode: what staff and the patron may change, and what stays consistent.

let t: TestApp;
let aCirc: Caller;
let bCirc: Caller;
let cCat: Caller;

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.admin();
  await createFixtureLibraries(admin);
  await createFixtureStaff(admin);
  aCirc = await t.login('a-circ', fixtureStaffPassword);
  bCirc = await t.login('b-circ', fixtureStaffPassword);
  cCat = await t.login('c-cat', fixtureStaffPassword);
  await createFixturePatrons(aCirc);
});
afterAll(() => t.close());

const { patronRow, libraryId, eventsOf, loginStatus } = patronChecks(() => t);

describe('PATCH /patrons/:barcode', () => {
  it('lets staff of any library change contact details, names, home and pickup library', async () => {
    const { barcode } = await createTestPatron(aCirc);
    const res = await bCirc.patch(`/patrons/${barcode}`, {
      phone: '207-555-0199',
      notifyBy: ['phone', 'email'],
      firstName: 'Robin',
      homeLibraryCode: 'C',
      defaultPickupLibraryCode: 'S1',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      barcode,
      name: `Robin Patron${barcode}`,
      phone: '207-555-0199',
      notifyBy: ['email', 'phone'],
      homeLibrary: { code: 'C', name: 'Camden Library' },
      defaultPickupLibrary: { code: 'S1', name: 'Southern One' },
    });
    const events = await eventsOf(barcode);
    expect(events.map((e) => e.kind)).toEqual(['patron-created', 'patron-updated']);
    expect(events[1]).toMatchObject({ library_id: await libraryId('C'), data: expect.objectContaining({ firstName: 'Robin', homeLibraryCode: 'C' }) });
    const cleared = await aCirc.patch(`/patrons/${barcode}`, { defaultPickupLibraryCode: null });
    expect(cleared.body.defaultPickupLibrary).toBeNull();
  });

  it('blocks with a reason and unblocks, forgetting the reason', async () => {
    const { barcode } = await createTestPatron(aCirc);
    const noReason = await aCirc.patch(`/patrons/${barcode}`, { blocked: true });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('blockReason');
    expect((await patronRow(barcode))!.blocked).toBe(false);
    const blocked = await cCat.patch(`/patrons/${barcode}`, { blocked: true, blockReason: 'Owes for a lost book' });
    expect(blocked.body).toMatchObject({ blocked: true, blockReason: 'Owes for a lost book' });
    expect((await aCirc.patch(`/patrons/${barcode}`, { blockReason: 'Owes for two lost books' })).body.blockReason).toBe('Owes for two lost books');
    const unblocked = await aCirc.patch(`/patrons/${barcode}`, { blocked: false });
    expect(unblocked.body).toMatchObject({ blocked: false, blockReason: null });
    expect((await aCirc.patch(`/patrons/${barcode}`, { blockReason: 'Not blocked' })).body.error.field).toBe('blockReason');
    const events = await eventsOf(barcode);
    expect(events.map((e) => [e.kind, e.reason])).toEqual([
      ['patron-created', null],
      ['patron-blocked', 'Owes for a lost book'],
      ['patron-updated', null],
      ['patron-unblocked', null],
    ]);
  });

  it('keeps notices where the patron can be reached, and pickup at a library', async () => {
    const { barcode } = await createTestPatron(aCirc);
    const cases: [Record<string, unknown>, string][] = [
      [{ email: null }, 'notifyBy'],
      [{ notifyBy: ['phone'] }, 'notifyBy'],
      [{ defaultPickupLibraryCode: 'S' }, 'defaultPickupLibraryCode'],
      [{ defaultPickupLibraryCode: 'ZZ' }, 'defaultPickupLibraryCode'],
      [{ homeLibraryCode: 'S' }, 'homeLibraryCode'],
      [{ phone: 'call me' }, 'phone'],
      [{ blocked: 'yes' }, 'blocked'],
      [{ password: 'short' }, 'password'],
    ];
    for (const [input, field] of cases) {
      const res = await aCirc.patch(`/patrons/${barcode}`, input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    expect((await aCirc.patch(`/patrons/${barcode}`, { nickname: 'x' })).status).toBe(400);
    expect(await patronRow(barcode)).toMatchObject({ email: `p${barcode}@example.org`, notify_by: ['email'], default_pickup_library_id: null });
    expect((await eventsOf(barcode)).length).toBe(1);
    const removed = await aCirc.patch(`/patrons/${barcode}`, { email: null, notifyBy: [] });
    expect(removed.body).toMatchObject({ email: null, notifyBy: [] });
  });

  it('lets a patron change their own contact details, user name and password', async () => {
    const { barcode, password } = await createTestPatron(aCirc);
    const self = await t.login(barcode, password);
    const res = await self.patch(`/patrons/${barcode}`, { email: 'mine@example.org', phone: '207-555-0142', notifyBy: ['phone'], defaultPickupLibraryCode: 'B', username: 'my-own-name' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ email: 'mine@example.org', phone: '207-555-0142', notifyBy: ['phone'], defaultPickupLibrary: { code: 'B' }, username: 'my-own-name' });
    const patronId = (await patronRow(barcode))!.id;
    expect((await eventsOf(barcode)).at(-1)).toMatchObject({ kind: 'patron-updated', actor_patron_id: patronId, staff_id: null });

    const missing = await self.patch(`/patrons/${barcode}`, { password: 'brand-new-password' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('currentPassword');
    const wrong = await self.patch(`/patrons/${barcode}`, { password: 'brand-new-password', currentPassword: 'not-my-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ field: 'currentPassword', message: 'The current password is not right.' });
    expect(await loginStatus(barcode, password)).toBe(200);
    const elsewhere = await t.login(barcode, password);
    const weak = await self.patch(`/patrons/${barcode}`, { password: `my-own-name-2`, currentPassword: password });
    expect(weak.status).toBe(400);
    expect(weak.body.error).toMatchObject({ field: 'password', message: 'A password must not contain the user name or the card number.' });
    const common = await self.patch(`/patrons/${barcode}`, { password: 'Password123', currentPassword: password });
    expect(common.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'password' });
    const changed = await self.patch(`/patrons/${barcode}`, { password: 'brand-new-password', currentPassword: password });
    expect(changed.status).toBe(200);
    // signed out on the other device, still signed in on this one
    expect((await elsewhere.get('/auth/me')).status).toBe(401);
    expect((await self.get('/auth/me')).status).toBe(200);
    expect(await loginStatus('my-own-name', 'brand-new-password')).toBe(200);
    expect(await loginStatus(barcode, password)).toBe(401);
    expect(JSON.stringify((await eventsOf(barcode)).map((e) => e.data))).not.toContain('brand-new-password');
  });

  it("refuses a patron staff fields and another patron's account", async () => {
    const { barcode, password } = await createTestPatron(aCirc);
    const self = await t.login(barcode, password);
    for (const input of [{ blocked: true, blockReason: 'x' }, { blockReason: 'x' }, { firstName: 'New' }, { homeLibraryCode: 'B' }]) {
      const res = await self.patch(`/patrons/${barcode}`, input);
      expect(res.status, JSON.stringify(input)).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await self.patch(`/patrons/${fixturePatrons.PA1.barcode}`, { email: 'hijack@example.org' })).status).toBe(403);
    expect((await patronRow(fixturePatrons.PA1.barcode))!.email).toBe('pa1@example.org');
    expect(await patronRow(barcode)).toMatchObject({ blocked: false, first_name: 'Test' });
  });

  it('lets staff set a password without the current one, ending the patron\'s sessions', async () => {
    const { barcode, password } = await createTestPatron(aCirc);
    const self = await t.login(barcode, password);
    expect((await aCirc.patch(`/patrons/${barcode}`, { password: 'set-at-the-desk' })).status).toBe(200);
    expect((await self.get(`/patrons/${barcode}`)).status).toBe(401);
    expect(await loginStatus(barcode, 'set-at-the-desk')).toBe(200);
  });

  it('refuses a user name in use, and answers 404 and 401', async () => {
    const { barcode } = await createTestPatron(aCirc);
    for (const username of ['A-CIRC', fixturePatrons.PC1.barcode]) {
      const res = await aCirc.patch(`/patrons/${barcode}`, { username });
      expect(res.status, username).toBe(409);
      expect(res.body.error.code).toBe('DUPLICATE');
    }
    expect((await aCirc.patch(`/patrons/${barcode}`, { username: barcode })).status).toBe(200);
    const unknown = await aCirc.patch('/patrons/99999999', { phone: '207-555-0000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await t.anonymous.patch(`/patrons/${barcode}`, { phone: '207-555-0000' })).status).toBe(401);
    expect((await patronRow(barcode))!.phone).toBeNull();
  });
});
