import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directStaffPassword, insertStaff } from '../support/direct-staff';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('libraries', () => {
  it('lets the consortium admin build the library tree', async () => {
    const admin = await t.admin();
    expect((await admin.post('/libraries', { code: 'A', name: 'Alpha Library' })).status).toBe(201);
    const system = await admin.post('/libraries', { code: 'S', name: 'South System', kind: 'system' });
    expect(system.status).toBe(201);
    const branch = await admin.post('/libraries', { code: 'S1', name: 'South One', parentCode: 'S', participatesInLending: true });
    expect(branch.status).toBe(201);
    expect(branch.body.parent).toEqual({ code: 'S', name: 'South System' });
    const list = await t.anonymous.get('/libraries');
    expect(list.status).toBe(200);
    expect(list.body.map((l: { code: string }) => l.code)).toEqual(['A', 'S', 'S1']);
  });

  it('refuses a duplicate code, a bad parent, a bad body and anonymous callers', async () => {
    const admin = await t.admin();
    expect((await admin.post('/libraries', { code: 'A', name: 'Again' })).body.error.code).toBe('DUPLICATE');
    const badParent = await admin.post('/libraries', { code: 'X1', name: 'X', parentCode: 'A' });
    expect(badParent.status).toBe(400);
    expect(badParent.body.error.field).toBe('parentCode');
    const bad = await admin.post('/libraries', { code: 'no spaces', name: 'X' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'code' });
    expect((await t.anonymous.post('/libraries', { code: 'Z', name: 'Z' })).status).toBe(401);
  });

  it('changes hours and closed dates, and 404s an unknown code', async () => {
    const admin = await t.admin();
    const res = await admin.patch('/libraries/A', {
      openingHours: { sun: ['12:00', '16:00'] },
      closedDates: [{ from: '2025-03-10', to: '2025-03-11', reason: 'Inventory' }],
      holdShelfDays: 5,
    });
    expect(res.status).toBe(200);
    expect(res.body.openingHours.sun).toEqual(['12:00', '16:00']);
    expect(res.body.closedDates).toEqual([{ from: '2025-03-10', to: '2025-03-11', reason: 'Inventory' }]);
    expect(res.body.holdShelfDays).toBe(5);
    const onlyClosed = await admin.patch('/libraries/A', { closedDates: [] });
    expect(onlyClosed.status).toBe(200);
    expect(onlyClosed.body.closedDates).toEqual([]);
    expect((await admin.patch('/libraries/NOPE', { name: 'x' })).status).toBe(404);
    const backwards = await admin.patch('/libraries/A', { closedDates: [{ from: '2025-03-11', to: '2025-03-10' }] });
    expect(backwards.status).toBe(400);
  });
});

describe('library rights', () => {
  it('lets a library admin change only their own library, and not the lending program', async () => {
    const admin = await t.admin();
    await admin.post('/libraries', { code: 'B', name: 'Bangor Library' });
    await insertStaff(t.connection.db, 'a-admin', 'A', 'library-admin');
    await insertStaff(t.connection.db, 'a-circ', 'A', 'circulation');
    const aAdmin = await t.login('a-admin', directStaffPassword);
    const own = await aAdmin.patch('/libraries/A', { loanDays: 14, phone: '207-555-0100' });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ loanDays: 14, phone: '207-555-0100' });
    const other = await aAdmin.patch('/libraries/B', { loanDays: 14 });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_OWN_LIBRARY');
    const lending = await aAdmin.patch('/libraries/A', { participatesInLending: false });
    expect(lending.status).toBe(403);
    expect(lending.body.error.code).toBe('FORBIDDEN');
    expect((await aAdmin.post('/libraries', { code: 'Q', name: 'Q' })).status).toBe(403);
    const circ = await t.login('a-circ', directStaffPassword);
    expect((await circ.patch('/libraries/A', { loanDays: 10 })).status).toBe(403);
    const unchanged = await t.anonymous.get('/libraries/A');
    expect(unchanged.body.loanDays).toBe(14);
    expect((await t.anonymous.get('/libraries/NOPE')).status).toBe(404);
  });

  it('keeps systems free of items and staff, and branches inside systems', async () => {
    const admin = await t.admin();
    const staffed = await admin.patch('/libraries/A', { kind: 'system' });
    expect(staffed.status).toBe(409);
    expect(staffed.body.error.code).toBe('INVALID_STATE');
    const nested = await admin.post('/libraries', { code: 'SS', name: 'Nested System', kind: 'system', parentCode: 'S' });
    expect(nested.status).toBe(400);
    expect(nested.body.error.field).toBe('parentCode');
    const withBranches = await admin.patch('/libraries/S', { kind: 'library' });
    expect(withBranches.status).toBe(409);
  });
});
