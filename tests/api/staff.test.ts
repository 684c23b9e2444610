import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureLibraries, createFixtureStaff, fixtureStaffPassword } from '../support/fixture';
import { createTestApp, type Caller, type TestApp } from '../support/test-app';
import { testAdmin } from '../support/test-database-kind';

let t: TestApp;
let admin: Caller;
let aAdmin: Caller;
let aCirc: Caller;
let aCat: Caller;
let patron: Caller;
const newPassword = 'a-good-long-password';

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.admin();
  await createFixtureLibraries(admin);
  await createFixtureStaff(admin);
  aAdmin = await t.login('a-admin', fixtureStaffPassword);
  aCirc = await t.login('a-circ', fixtureStaffPassword);
  aCat = await t.login('a-cat', fixtureStaffPassword);
  const registered = await aCirc.post('/patrons', {
    barcode: '29000001',
    firstName: 'Sam',
    lastName: 'Reader',
    homeLibraryCode: 'A',
    username: 'pat-sam',
    password: 'patron-password-1',
  });
  expect(registered.status).toBe(201);
  patron = await t.login('pat-sam', 'patron-password-1');
});
afterAll(() => t.close());

async function staffRow(username: string) {
  return t.connection.db.selectFrom('staff').selectAll().where('username', '=', username).executeTakeFirst();
}

async function libraryId(code: string): Promise<number> {
  return (await t.connection.db.selectFrom('libraries').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

async function canLogin(username: string, password: string): Promise<number> {
  return (await t.anonymous.post('/auth/login', { username, password })).status;
}

describe('POST /staff', () => {
  it('lets the consortium admin add any role at any library, or at the consortium office', async () => {
    const res = await admin.post('/staff', { username: 'b-boss', password: newPassword, libraryCode: 'B', role: 'library-admin' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ username: 'b-boss', role: 'library-admin', library: { code: 'B', name: 'Bangor Library' }, active: true, createdAt: '2025-03-03T15:00:00.000Z' });
    expect(res.text).not.toMatch(/argon|hash|password/i);
    const me = await (await t.login('b-boss', newPassword)).get('/auth/me');
    expect(me.body.user).toEqual({ kind: 'staff', username: 'b-boss', role: 'library-admin', library: { code: 'B', name: 'Bangor Library' } });

    const event = await t.connection.db.selectFrom('events').selectAll().where('kind', '=', 'staff-created').where('library_id', '=', await libraryId('B')).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(event.staff_id).toBe((await staffRow(testAdmin.username))!.id);
    expect(event.data).toMatchObject({ username: 'b-boss', role: 'library-admin', libraryCode: 'B', staffId: (await staffRow('b-boss'))!.id });
    expect(JSON.stringify(event.data)).not.toContain(newPassword);

    const office = await admin.post('/staff', { username: 'office-boss', password: newPassword, libraryCode: 'CONS', role: 'consortium-admin' });
    expect(office.status).toBe(201);
    expect(office.body.library).toEqual({ code: 'CONS', name: 'Test Consortium' });
    expect((await staffRow('office-boss'))!.library_id).toBeNull();
  });

  it('lets a library admin add staff at their own library, up to library admin', async () => {
    const cat = await aAdmin.post('/staff', { username: 'a-new-cat', password: newPassword, libraryCode: 'A', role: 'cataloger' });
    expect(cat.status).toBe(201);
    expect(cat.body).toMatchObject({ username: 'a-new-cat', role: 'cataloger', library: { code: 'A' } });
    const boss = await aAdmin.post('/staff', { username: 'a-new-boss', password: newPassword, libraryCode: 'A', role: 'library-admin' });
    expect(boss.status).toBe(201);
    expect(await canLogin('a-new-cat', newPassword)).toBe(200);
  });

  it('refuses other libraries, higher roles, lesser staff, patrons and anonymous callers', async () => {
    const body = { username: 'x-refused', password: newPassword, libraryCode: 'A', role: 'circulation' };
    const otherLibrary = await aAdmin.post('/staff', { ...body, libraryCode: 'B' });
    expect(otherLibrary.status).toBe(403);
    expect(otherLibrary.body.error.code).toBe('NOT_OWN_LIBRARY');
    const higherRole = await aAdmin.post('/staff', { ...body, role: 'consortium-admin' });
    expect(higherRole.status).toBe(403);
    expect(higherRole.body.error.code).toBe('FORBIDDEN');
    const office = await aAdmin.post('/staff', { ...body, libraryCode: 'CONS', role: 'consortium-admin' });
    expect(office.status).toBe(403);
    for (const caller of [aCirc, aCat, patron]) {
      const res = await caller.post('/staff', body);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    const anonymous = await t.anonymous.post('/staff', body);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
    expect(await staffRow('x-refused')).toBeUndefined();
  });

  it('answers bad input with 400 naming the field, and creates nothing', async () => {
    const body = { username: 'x-bad', password: newPassword, libraryCode: 'A', role: 'circulation' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...body, libraryCode: 'ZZ' }, 'libraryCode'],
      [{ ...body, libraryCode: 'S' }, 'libraryCode'],
      [{ ...body, libraryCode: 'CONS' }, 'libraryCode'],
      [{ ...body, password: 'short' }, 'password'],
      [{ ...body, role: 'janitor' }, 'role'],
      [{ ...body, username: 'has space' }, 'username'],
      [{ password: newPassword, libraryCode: 'A', role: 'circulation' }, 'username'],
    ];
    for (const [input, field] of cases) {
      const res = await admin.post('/staff', input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    expect((await admin.post('/staff', { ...body, extra: 1 })).status).toBe(400);
    expect(await staffRow('x-bad')).toBeUndefined();
  });

  it('refuses a user name already used by staff or a patron, ignoring case', async () => {
    for (const username of ['A-CIRC', 'Pat-Sam', '29000001']) {
      const res = await admin.post('/staff', { username, password: newPassword, libraryCode: 'A', role: 'circulation' });
      expect(res.status, username).toBe(409);
      expect(res.body.error.code).toBe('DUPLICATE');
    }
    expect((await t.connection.db.selectFrom('staff').select('id').where('username', '=', 'Pat-Sam').execute()).length).toBe(0);
  });
});

describe('GET /staff', () => {
  it("shows a library admin their own library's staff", async () => {
    const res = await aAdmin.get('/staff');
    expect(res.status).toBe(200);
    expect(res.body.every((s: { library: { code: string } }) => s.library.code === 'A')).toBe(true);
    expect(res.body.map((s: { username: string }) => s.username)).toEqual(expect.arrayContaining(['a-admin', 'a-cat', 'a-circ']));
    expect(res.text).not.toMatch(/argon|hash/i);
    expect((await aAdmin.get('/staff?library=A')).body).toEqual(res.body);
  });

  it('shows the consortium admin any library, or everyone', async () => {
    const s2 = await admin.get('/staff?library=S2');
    expect(s2.status).toBe(200);
    expect(s2.body.map((s: { username: string }) => s.username)).toEqual(['s2-admin', 's2-cat', 's2-circ']);
    expect(s2.body[0]).toEqual({ username: 's2-admin', role: 'library-admin', library: { code: 'S2', name: 'Southern Two' }, active: true, createdAt: expect.any(String) });
    const all = await admin.get('/staff?limit=1000');
    const names = all.body.map((s: { username: string }) => s.username);
    expect(names).toEqual(expect.arrayContaining(['admin', 'a-circ', 'b-cat', 's1-admin']));
    expect(all.body.find((s: { username: string }) => s.username === 'admin').library.code).toBe('CONS');
    expect((await admin.get('/staff?limit=2&offset=1')).body.map((s: { username: string }) => s.username)).toEqual(names.slice(1, 3));
  });

  it('refuses other libraries, lesser staff, patrons, anonymous callers and bad input', async () => {
    const other = await aAdmin.get('/staff?library=B');
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await aCirc.get('/staff')).body.error.code).toBe('FORBIDDEN');
    expect((await patron.get('/staff')).status).toBe(403);
    expect((await t.anonymous.get('/staff')).status).toBe(401);
    const unknown = await admin.get('/staff?library=ZZ');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('library');
    expect((await admin.get('/staff?limit=0')).body.error.field).toBe('limit');
  });
});

describe('PATCH /staff/:username', () => {
  it('lets a library admin change the role, password and active flag of their own staff', async () => {
    expect((await aAdmin.post('/staff', { username: 'a-temp', password: newPassword, libraryCode: 'A', role: 'circulation' })).status).toBe(201);
    const promoted = await aAdmin.patch('/staff/A-TEMP', { role: 'cataloger' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ username: 'a-temp', role: 'cataloger', library: { code: 'A' }, active: true });

    const session = await t.login('a-temp', newPassword);
    expect((await aAdmin.patch('/staff/a-temp', { password: 'another-long-password' })).status).toBe(200);
    expect((await session.get('/auth/me')).status).toBe(401);
    expect(await canLogin('a-temp', newPassword)).toBe(401);
    expect(await canLogin('a-temp', 'another-long-password')).toBe(200);

    const closed = await aAdmin.patch('/staff/a-temp', { active: false });
    expect(closed.body.active).toBe(false);
    expect(await canLogin('a-temp', 'another-long-password')).toBe(401);

    const events = await t.connection.db.selectFrom('events').selectAll().where('kind', '=', 'staff-updated').where('library_id', '=', await libraryId('A')).orderBy('id').execute();
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ username: 'a-temp', role: 'cataloger' }),
      expect.objectContaining({ username: 'a-temp', passwordChanged: true }),
      expect.objectContaining({ username: 'a-temp', active: false }),
    ]);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain('another-long-password');
  });

  it('lets the consortium admin move staff to another library', async () => {
    expect((await aAdmin.post('/staff', { username: 'a-mover', password: newPassword, libraryCode: 'A', role: 'circulation' })).status).toBe(201);
    const moved = await admin.patch('/staff/a-mover', { libraryCode: 'B' });
    expect(moved.status).toBe(200);
    expect(moved.body.library).toEqual({ code: 'B', name: 'Bangor Library' });
    expect((await staffRow('a-mover'))!.library_id).toBe(await libraryId('B'));
  });

  it('refuses other libraries, higher roles, lesser staff, patrons and anonymous callers', async () => {
    expect((await aAdmin.post('/staff', { username: 'a-stays', password: newPassword, libraryCode: 'A', role: 'circulation' })).status).toBe(201);
    expect((await aAdmin.patch('/staff/b-circ', { active: false })).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await aAdmin.patch('/staff/a-stays', { libraryCode: 'B' })).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await aAdmin.patch('/staff/admin', { active: false })).body.error.code).toBe('NOT_OWN_LIBRARY');
    const higher = await aAdmin.patch('/staff/a-stays', { role: 'consortium-admin' });
    expect(higher.status).toBe(403);
    expect(higher.body.error.code).toBe('FORBIDDEN');
    expect((await aCirc.patch('/staff/a-stays', { active: false })).body.error.code).toBe('FORBIDDEN');
    expect((await patron.patch('/staff/a-stays', { active: false })).status).toBe(403);
    expect((await t.anonymous.patch('/staff/a-stays', { active: false })).status).toBe(401);
    expect(await staffRow('a-stays')).toMatchObject({ role: 'circulation', active: true, library_id: await libraryId('A') });
  });

  it('answers bad input with 400, an unknown user name with 404, and changes nothing', async () => {
    expect((await aAdmin.post('/staff', { username: 'a-steady', password: newPassword, libraryCode: 'A', role: 'circulation' })).status).toBe(201);
    const cases: [Record<string, unknown>, string][] = [
      [{ password: 'short' }, 'password'],
      [{ libraryCode: 'S' }, 'libraryCode'],
      [{ role: 'janitor' }, 'role'],
      [{ active: 'no' }, 'active'],
    ];
    for (const [input, field] of cases) {
      const res = await aAdmin.patch('/staff/a-steady', input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    expect((await aAdmin.patch('/staff/a-steady', { username: 'renamed' })).status).toBe(400);
    expect(await canLogin('a-steady', newPassword)).toBe(200);
    const unknown = await admin.patch('/staff/nobody-here', { active: false });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('keeps a consortium-office administrator at a library when demoted, and never removes the last administrator', async () => {
    expect((await admin.post('/staff', { username: 'office-temp', password: newPassword, libraryCode: 'CONS', role: 'consortium-admin' })).status).toBe(201);
    const homeless = await admin.patch('/staff/office-temp', { role: 'circulation' });
    expect(homeless.status).toBe(400);
    expect(homeless.body.error.field).toBe('libraryCode');
    const demoted = await admin.patch('/staff/office-temp', { role: 'circulation', libraryCode: 'C' });
    expect(demoted.body).toMatchObject({ role: 'circulation', library: { code: 'C' } });

    const others = await t.connection.db.selectFrom('staff').select('username').where('role', '=', 'consortium-admin').where('active', '=', true).where('username', '<>', 'admin').execute();
    for (const other of others) expect((await admin.patch(`/staff/${other.username}`, { active: false })).status).toBe(200);
    const last = await admin.patch('/staff/admin', { active: false });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('INVALID_STATE');
    expect((await admin.patch('/staff/admin', { role: 'library-admin', libraryCode: 'A' })).status).toBe(409);
    expect((await admin.get('/auth/me')).body.user.role).toBe('consortium-admin');
  });
});
