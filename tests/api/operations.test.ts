import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app';
import { systemClock } from '../../src/services/clock';
import { createTestApp, type TestApp } from '../support/test-app';
import { testDatabaseKind } from '../support/test-database-kind';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('operations', () => {
  it('reports health with the kind of database', async () => {
    const res = await t.anonymous.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, database: testDatabaseKind(), version: 'test' });
  });

  it('publishes the OpenAPI document and a browsable page, and serves the web app at /', async () => {
    const doc = await t.anonymous.get('/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/libraries', '/api/v1/auth/login', '/api/v1/consortium']));
    expect(doc.body.paths['/api/v1/libraries'].post.requestBody).toBeDefined();
    const page = await t.anonymous.request({ method: 'GET', url: '/api/docs/' });
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/swagger/i);
    // the web app (tests/browser/web-app.test.ts checks how it is served)
    const root = await t.anonymous.request({ method: 'GET', url: '/' });
    expect(root.status).toBe(200);
    expect(String(root.headers['content-type'])).toMatch(/^text\/html/);
  });

  it('sets security headers', async () => {
    const res = await t.anonymous.get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toMatch(/default-src 'self'/);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await t.anonymous.get('/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('gives a clear 400 for a body that is not JSON', async () => {
    const admin = await t.admin();
    const res = await admin.request({ method: 'POST', url: '/api/v1/libraries', headers: { 'content-type': 'application/json' }, payload: '{"code": "A",' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
  });

  it('moves the test clock for the consortium admin only', async () => {
    const admin = await t.admin();
    const set = await admin.post('/admin/clock', { now: '2025-03-04T15:15:00Z' });
    expect(set.status).toBe(200);
    expect(t.clock.now().toISOString()).toBe('2025-03-04T15:15:00.000Z');
    expect((await admin.post('/admin/clock', { now: 'tomorrow' })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'now' });
    expect((await t.anonymous.post('/admin/clock', { now: '2025-03-04T15:15:00Z' })).status).toBe(401);
  });

  it('has no clock to set on a server started without TAMARACK_TEST_CLOCK', async () => {
    const app = await buildApp({ connection: t.connection, clock: systemClock, version: 'test' });
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-password' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const res = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: { cookie }, payload: { now: '2025-03-04T15:15:00Z' } });
    expect(res.statusCode).toBe(404);
    await app.close();
  });

  it('runs a job now and records the run; unknown jobs are 404', async () => {
    const admin = await t.admin();
    const run = await admin.post('/admin/jobs/session-cleanup/run');
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ name: 'session-cleanup', state: 'done', summary: { removedSessions: expect.any(Number) } });
    const rows = await t.connection.db.selectFrom('jobs').selectAll().where('name', '=', 'session-cleanup').execute();
    expect(rows.some((r) => r.state === 'done')).toBe(true);
    expect((await admin.post('/admin/jobs/no-such-job/run')).status).toBe(404);
    expect((await t.anonymous.post('/admin/jobs/session-cleanup/run')).status).toBe(401);
  });
});

describe('consortium settings', () => {
  it('reads and changes the targeting policy and limits', async () => {
    const admin = await t.admin();
    const before = await admin.get('/consortium');
    expect(before.body).toMatchObject({ targetingPolicy: 'random', retargetAfterHours: 24, maxOpenHoldsPerPatron: 50, bounceTransits: 4, bounceDays: 10 });
    const after = await admin.patch('/consortium', { targetingPolicy: 'balanced', maxOpenHoldsPerPatron: 2 });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ targetingPolicy: 'balanced', maxOpenHoldsPerPatron: 2 });
    const event = await t.connection.db.selectFrom('events').selectAll().where('kind', '=', 'consortium-updated').executeTakeFirst();
    expect(event).toBeDefined();
  });

  it('refuses bad values and anonymous callers', async () => {
    const admin = await t.admin();
    const bad = await admin.patch('/consortium', { targetingPolicy: 'alphabetical' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('targetingPolicy');
    expect((await admin.patch('/consortium', { unknownSetting: 1 })).status).toBe(400);
    expect((await t.anonymous.get('/consortium')).status).toBe(401);
    expect((await t.anonymous.patch('/consortium', { name: 'x' })).status).toBe(401);
  });
});
