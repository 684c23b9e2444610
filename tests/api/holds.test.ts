import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random';
import { createConsortiumFixture, fixturePatronPassword, type ConsortiumFixture } from '../support/fixture';
import type { Caller } from '../support/test-app';

// The holds endpoints' contract: success, 400, 401, 403 and 404. Behaviour lives in tests/scenarios.
let f: ConsortiumFixture;
let recordId: number;
let emptyRecordId: number;
let patron: Caller;

beforeAll(async () => {
  const random = seededRandom(1);
  f = await createConsortiumFixture(undefined, { random: () => random.next() });
  recordId = (await f.admin.post('/records', { title: 'The Maine Woods' })).body.id;
  emptyRecordId = (await f.admin.post('/records', { title: 'Walden' })).body.id;
  for (const [code, barcode] of [['A', '31000001'], ['B', '32000001']]) {
    const res = await (await f.staff(code, 'cat')).post('/items', { recordId, libraryCode: code, callNumber: '917.41 THO', barcode, catalogedAt: '2024-01-01' });
    expect(res.status).toBe(201);
  }
  patron = await f.t.login('21000001', fixturePatronPassword);
});
afterAll(() => f.t.close());

describe('POST /holds', () => {
  it('lets a patron place a title hold for themselves, targeted at once to the local copy', async () => {
    const res = await patron.post('/holds', { type: 'title', recordId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'title', status: 'targeted', patron: { barcode: '21000001' }, pickupLibrary: { code: 'A' }, target: { barcode: '31000001', library: { code: 'A' } }, queuePosition: 1 });
    expect(res.body.explanation.summary).toMatch(/pickup library/);
    expect(res.body.explanation.chosen).toEqual({ barcode: '31000001', library: { code: 'A', name: 'Abbot Library' } });
    const again = await patron.post('/holds', { type: 'title', recordId });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('HOLD_EXISTS');
  });

  it('refuses bad input with the field, unknown things with 404, and anonymous callers', async () => {
    const staff = await f.staff('A', 'circ');
    expect((await staff.post('/holds', { type: 'title', recordId })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'patronBarcode' });
    expect((await staff.post('/holds', { patronBarcode: '21000002', type: 'shelf', recordId })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'type' });
    expect((await staff.post('/holds', { patronBarcode: '21000002', type: 'title' })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'recordId' });
    expect((await staff.post('/holds', { patronBarcode: '29999999', type: 'title', recordId })).status).toBe(404);
    expect((await staff.post('/holds', { patronBarcode: '21000002', type: 'title', recordId: 999999 })).status).toBe(404);
    expect((await staff.post('/holds', { patronBarcode: '21000002', type: 'title', recordId, pickupLibraryCode: 'NOPE' })).status).toBe(404);
    const system = await staff.post('/holds', { patronBarcode: '21000002', type: 'title', recordId, pickupLibraryCode: 'S' });
    expect(system.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'pickupLibraryCode' });
    expect((await f.t.anonymous.post('/holds', { type: 'title', recordId })).status).toBe(401);
  });

  it('refuses a patron placing for someone else or a copy hold', async () => {
    expect((await patron.post('/holds', { patronBarcode: '21000002', type: 'title', recordId: emptyRecordId })).status).toBe(403);
    const copy = await patron.post('/holds', { type: 'copy', itemBarcode: '32000001' });
    expect(copy.status).toBe(403);
  });

  it('accepts a hold on a title without copies; it waits and says why', async () => {
    const staff = await f.staff('B', 'circ');
    const res = await staff.post('/holds', { patronBarcode: '22000001', type: 'title', recordId: emptyRecordId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'waiting', target: null, pickupLibrary: { code: 'B' } });
    expect(res.body.explanation.summary).toMatch(/no copies/);
  });
});

describe('reading holds', () => {
  it('shows a hold to staff and to its own patron only; 404 for an unknown id; 400 for a bad id', async () => {
    const [mine] = (await patron.get('/holds')).body;
    expect(mine.patron.barcode).toBe('21000001');
    expect((await (await f.staff('C', 'circ')).get(`/holds/${mine.id}`)).status).toBe(200);
    const other = await f.t.login('21000002', fixturePatronPassword);
    expect((await other.get(`/holds/${mine.id}`)).status).toBe(403);
    expect((await other.get('/holds?patron=21000001')).status).toBe(403);
    expect((await f.t.anonymous.get(`/holds/${mine.id}`)).status).toBe(401);
    expect((await patron.get('/holds/999999')).status).toBe(404);
    expect((await patron.get('/holds/abc')).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'id' });
  });

  it('lists a library\'s holds (pickup or target) and filters by status', async () => {
    const staff = await f.staff('B', 'circ');
    const atB = (await staff.get('/holds?library=B')).body;
    expect(atB.map((h: { patron: { barcode: string } }) => h.patron.barcode)).toContain('22000001');
    const waiting = (await staff.get('/holds?status=waiting')).body;
    expect(waiting.every((h: { status: string }) => h.status === 'waiting')).toBe(true);
    expect((await staff.get('/holds?status=lost')).status).toBe(400);
    expect((await staff.get('/holds?library=NOPE')).status).toBe(404);
  });
});

describe('pull list', () => {
  it('lists the library\'s targeted items for its staff, as JSON and CSV', async () => {
    const staff = await f.staff('A', 'circ');
    const list = await staff.get('/libraries/A/pull-list');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({ item: expect.objectContaining({ barcode: '31000001', callNumber: '917.41 THO', title: 'The Maine Woods' }), patron: { barcode: '21000001', name: expect.any(String) }, pickupLibrary: { code: 'A', name: 'Abbot Library' } }),
    ]);
    const csv = await staff.request({ method: 'GET', url: '/api/v1/libraries/A/pull-list?format=csv' });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[1]).toMatch(/^,917\.41 THO,The Maine Woods,31000001,/);
    expect((await staff.get('/libraries/B/pull-list')).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await patron.get('/libraries/A/pull-list')).status).toBe(403);
    expect((await staff.get('/libraries/NOPE/pull-list')).status).toBe(404);
  });
});

describe('redirect, not on shelf, and changes', () => {
  it('lets only the target library refuse, and 409s a hold without a target', async () => {
    const [mine] = (await patron.get('/holds')).body;
    expect((await (await f.staff('B', 'circ')).post(`/holds/${mine.id}/redirect`, {})).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await patron.post(`/holds/${mine.id}/redirect`, {})).status).toBe(403);
    expect((await (await f.staff('A', 'circ')).post('/holds/999999/redirect', {})).status).toBe(404);
    const waiting = (await (await f.staff('B', 'circ')).get('/holds?status=waiting')).body[0];
    expect((await (await f.staff('B', 'circ')).post(`/holds/${waiting.id}/not-on-shelf`)).body.error.code).toBe('INVALID_STATE');
  });

  it('changes pickup library and notice choice, and refuses bad dates', async () => {
    const [mine] = (await patron.get('/holds')).body;
    const moved = await patron.patch(`/holds/${mine.id}`, { pickupLibraryCode: 'B' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ pickupLibrary: { code: 'B' }, target: { barcode: '32000001' } });
    expect((await patron.patch(`/holds/${mine.id}`, { pickupLibraryCode: 'D' })).body.error.code).toBe('PICKUP_NOT_ALLOWED');
    expect((await patron.patch(`/holds/${mine.id}`, { suspendedUntil: '2025-03-01' })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'suspendedUntil' });
    expect((await patron.patch(`/holds/${mine.id}`, { suspendedUntil: 'soon' })).body.error.field).toBe('suspendedUntil');
    expect((await patron.patch('/holds/999999', { notifyBy: ['email'] })).status).toBe(404);
    expect((await f.t.anonymous.patch(`/holds/${mine.id}`, { notifyBy: ['email'] })).status).toBe(401);
  });
});
