import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/services/passwords';
import { createTestApp, type Caller, type TestApp } from '../support/test-app';

// `tamarack serve` keeps signed-in staff in memory between a session's touches. Whatever ends a
// session or changes a staff account or a library must end that memory at once: here by this
// process's own routes, and from another process (another server, a script at the database)
// through the database's notification.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(undefined, { sessionCache: true });
  const admin = await t.admin();
  await admin.post('/libraries', { code: 'A', name: 'Abbot Library' });
  await admin.post('/libraries', { code: 'B', name: 'Birch Library' });
  const library = await t.connection.db.selectFrom('libraries').select('id').where('code', '=', 'A').executeTakeFirstOrThrow();
  const hash = await hashPassword('circ-password');
  await t.connection.db
    .insertInto('staff')
    .values(['a-circ', 'b-circ', 'c-circ', 'd-circ'].map((username) => ({ username, password_hash: hash, library_id: library.id, role: 'circulation' as const })))
    .execute();
});
afterAll(() => t.close());

const cache = () => t.sessionCache!;

/** Signed in, and remembered after one request. */
async function remembered(username: string): Promise<Caller> {
  const desk = await t.login(username, 'circ-password');
  const before = cache().size;
  expect((await desk.get('/auth/me')).status).toBe(200);
  expect(cache().size).toBeGreaterThan(before);
  return desk;
}

/** Until the notification has arrived and emptied the cache (at most a few seconds). */
async function untilForgotten(): Promise<void> {
  for (let i = 0; i < 200 && cache().size > 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(cache().size).toBe(0);
}

describe('signed-in staff kept in memory', () => {
  it('answers a desk from memory: a second request finds the staff member remembered', async () => {
    const desk = await remembered('a-circ');
    const size = cache().size;
    const me = await desk.get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('a-circ');
    expect(cache().size).toBe(size);
  });

  it('signing out here ends the session at once', async () => {
    const desk = await remembered('a-circ');
    expect((await desk.post('/auth/logout')).status).toBe(204);
    expect((await desk.get('/auth/me')).status).toBe(401);
  });

  it('signing out everywhere here ends every remembered session of the account at once', async () => {
    const desk = await remembered('b-circ');
    const backOffice = await remembered('b-circ');
    expect((await desk.post('/auth/logout-everywhere')).status).toBe(200);
    expect((await backOffice.get('/auth/me')).status).toBe(401);
  });

  it('a session ended by another process ends here as soon as the database says so', async () => {
    const desk = await remembered('c-circ');
    await sql`DELETE FROM sessions WHERE staff_id = (SELECT id FROM staff WHERE username = 'c-circ')`.execute(t.connection.db);
    await untilForgotten();
    expect((await desk.get('/auth/me')).status).toBe(401);
  });

  it('a staff member deactivated or moved by another process is no longer who memory says', async () => {
    const desk = await remembered('d-circ');
    await sql`UPDATE staff SET library_id = (SELECT id FROM libraries WHERE code = 'B') WHERE username = 'd-circ'`.execute(t.connection.db);
    await untilForgotten();
    expect((await desk.get('/auth/me')).body.library.code).toBe('B');
    await sql`UPDATE staff SET active = false WHERE username = 'd-circ'`.execute(t.connection.db);
    await untilForgotten();
    expect((await desk.get('/auth/me')).status).toBe(401);
  });

  it('a library renamed by another process is renamed in memory too', async () => {
    const admin = await t.admin();
    const desk = await remembered('a-circ');
    await sql`UPDATE libraries SET name = 'Abbot Memorial Library' WHERE code = 'A'`.execute(t.connection.db);
    await untilForgotten();
    expect((await desk.get('/auth/me')).body.library.name).toBe('Abbot Memorial Library');
    expect((await admin.get('/auth/me')).status).toBe(200);
  });

  it('a touch is due after a minute: the session is read again and its last use written', async () => {
    const desk = await remembered('a-circ');
    const tokenHashes = await t.connection.db.selectFrom('sessions').select(['token_hash', 'last_seen_at']).execute();
    // a session seen more than a minute ago, as memory would have it after that minute
    await sql`UPDATE sessions SET last_seen_at = last_seen_at - interval '2 minutes'`.execute(t.connection.db);
    cache().clear();
    expect((await desk.get('/auth/me')).status).toBe(200);
    const touched = await t.connection.db.selectFrom('sessions').select(['token_hash', 'last_seen_at']).execute();
    const before = new Map(tokenHashes.map((r) => [r.token_hash, r.last_seen_at.getTime()]));
    expect(touched.some((r) => r.last_seen_at.getTime() >= (before.get(r.token_hash) ?? Infinity))).toBe(true);
  });
});
