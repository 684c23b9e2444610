import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/services/passwords';
import { maxFailuresPerAccount, sessionIdleMs } from '../../src/services/sessions';
import { createTestApp, type TestApp } from '../support/test-app';
import { testAdmin } from '../support/test-database-kind';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.admin();
  await admin.post('/libraries', { code: 'A', name: 'Abbot Library' });
  const library = await t.connection.db.selectFrom('libraries').select('id').where('code', '=', 'A').executeTakeFirstOrThrow();
  const hash = await hashPassword('circ-password');
  await t.connection.db.insertInto('staff').values({ username: 'a-circ', password_hash: hash, library_id: library.id, role: 'circulation' }).execute();
  await t.connection.db
    .insertInto('patrons')
    .values({ barcode: '21000001', first_name: 'Ada', last_name: 'Abbot', home_library_id: library.id, username: 'ada', password_hash: hash })
    .execute();
});
afterAll(() => t.close());

describe('signing in', () => {
  it('signs staff in with an HttpOnly SameSite session cookie stored in the database', async () => {
    const res = await t.anonymous.post('/auth/login', { username: 'a-circ', password: 'circ-password' });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ kind: 'staff', username: 'a-circ', role: 'circulation', library: { code: 'A', name: 'Abbot Library' } });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/tamarack_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const token = cookie.split(';')[0].split('=')[1];
    const sessions = await t.connection.db.selectFrom('sessions').select('token_hash').execute();
    expect(sessions.map((s) => s.token_hash)).not.toContain(token);
  });

  it('signs a patron in by user name or by card barcode', async () => {
    for (const username of ['ada', '21000001']) {
      const res = await t.anonymous.post('/auth/login', { username, password: 'circ-password' });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ kind: 'patron', barcode: '21000001', library: { code: 'A' } });
    }
  });

  it('answers /auth/me for the signed-in user and 401 without a session', async () => {
    const staff = await t.login('a-circ', 'circ-password');
    const me = await staff.get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: 'staff', username: 'a-circ', user: { role: 'circulation' } });
    const anon = await t.anonymous.get('/auth/me');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a wrong password or unknown user with BAD_CREDENTIALS, and bad input with 400', async () => {
    const wrong = await t.anonymous.post('/auth/login', { username: 'a-circ', password: 'nope-nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('BAD_CREDENTIALS');
    expect((await t.anonymous.post('/auth/login', { username: 'ghost', password: 'x' })).body.error.code).toBe('BAD_CREDENTIALS');
    const missing = await t.anonymous.post('/auth/login', { username: 'a-circ' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'password' });
  });

  it('throttles an account after repeated failures, even with the right password', async () => {
    for (let i = 0; i < maxFailuresPerAccount; i++) {
      expect((await t.anonymous.post('/auth/login', { username: 'Throttled-User', password: 'wrong' })).status).toBe(401);
    }
    const blocked = await t.anonymous.post('/auth/login', { username: 'throttled-user', password: 'wrong' });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('logs out: the session no longer works', async () => {
    const staff = await t.login('a-circ', 'circ-password');
    expect((await staff.get('/auth/me')).status).toBe(200);
    expect((await staff.post('/auth/logout')).status).toBe(204);
    expect((await staff.get('/auth/me')).status).toBe(401);
  });

  it('signs out on every device at once: every session of the account ends, other accounts keep theirs', async () => {
    const desk = await t.login('a-circ', 'circ-password');
    const backOffice = await t.login('a-circ', 'circ-password');
    const patron = await t.login('ada', 'circ-password');
    const ended = await desk.post('/auth/logout-everywhere');
    expect(ended.status).toBe(200);
    expect(ended.body.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await desk.get('/auth/me')).status).toBe(401);
    expect((await backOffice.get('/auth/me')).status).toBe(401);
    expect((await patron.get('/auth/me')).status).toBe(200);
    expect((await t.anonymous.post('/auth/logout-everywhere')).status).toBe(401);
  });

  it('expires a session idle for 12 hours by the real clock, whatever the test clock says', async () => {
    const staff = await t.login('a-circ', 'circ-password');
    t.clock.set(new Date('2030-01-01T00:00:00Z'));
    expect((await staff.get('/auth/me')).status).toBe(200);
    await t.connection.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - sessionIdleMs - 1000) })
      .execute();
    expect((await staff.get('/auth/me')).status).toBe(401);
  });

  it('refuses a cookie-authenticated change from another site (CSRF) but accepts no Origin', async () => {
    const admin = await t.login(testAdmin.username, testAdmin.password);
    const foreign = await admin.request({
      method: 'PATCH',
      url: '/api/v1/consortium',
      headers: { origin: 'https://evil.example', host: 'localhost:3000' },
      payload: { name: 'Hijacked' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('CSRF');
    const same = await admin.request({
      method: 'PATCH',
      url: '/api/v1/consortium',
      headers: { origin: 'http://localhost:3000', host: 'localhost:3000' },
      payload: { name: 'Renamed' },
    });
    expect(same.status).toBe(200);
    expect((await admin.patch('/consortium', { name: 'Test Consortium' })).status).toBe(200);
  });
});
