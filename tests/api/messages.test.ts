import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random';
import { createConsortiumFixture, fixturePatronPassword, type ConsortiumFixture } from '../support/fixture';

// GET /libraries/:code/messages and POST …/messages/:id/read (API.md "Notices and reports"). The
// messages come from the real flow: A cancels holds of its patron that B's copies were to fill.
let f: ConsortiumFixture;
let holdIds: number[];

beforeAll(async () => {
  const random = seededRandom(38);
  f = await createConsortiumFixture(undefined, { random: () => random.next() });
  const desk = await f.staff('A', 'circ');
  holdIds = [];
  for (const [title, barcode, at] of [
    ['The Maine Woods', '32000001', '2025-03-03T15:00:00Z'],
    ['Cape Cod', '32000002', '2025-03-03T16:00:00Z'],
  ]) {
    const recordId = (await f.admin.post('/records', { title })).body.id;
    expect((await (await f.staff('B', 'cat')).post('/items', { recordId, libraryCode: 'B', callNumber: 'F THO', barcode, catalogedAt: '2024-01-01' })).status).toBe(201);
    f.t.clock.set(new Date(at));
    const hold = (await desk.post('/holds', { patronBarcode: '21000001', type: 'title', recordId })).body;
    expect((await desk.post(`/holds/${hold.id}/cancel`, { reason: 'patron-request' })).status).toBe(200);
    holdIds.push(hold.id);
  }
});
afterAll(() => f.t.close());

describe('GET /libraries/:code/messages', () => {
  it("lists the library's messages newest first, naming the hold, the item and the patron", async () => {
    const res = await (await f.staff('B', 'circ')).get('/libraries/B/messages');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: expect.any(Number),
        kind: 'hold-cancelled',
        from: { code: 'A', name: 'Abbot Library' },
        subject: expect.stringContaining('Cape Cod'),
        body: expect.stringContaining('Alice Anders (21000001)'),
        hold: { id: holdIds[1] },
        item: { barcode: '32000002' },
        patron: { barcode: '21000001', name: 'Alice Anders' },
        createdAt: '2025-03-03T16:00:00.000Z',
        readAt: null,
      },
      expect.objectContaining({ hold: { id: holdIds[0] }, item: { barcode: '32000001' }, createdAt: '2025-03-03T15:00:00.000Z' }),
    ]);
    expect((await (await f.staff('A', 'circ')).get('/libraries/A/messages')).body).toEqual([]);
    expect((await f.admin.get('/libraries/B/messages?limit=1')).body).toHaveLength(1);
  });

  it('refuses other libraries, patrons, anonymous callers, unknown libraries and bad filters', async () => {
    expect((await (await f.staff('A', 'circ')).get('/libraries/B/messages')).body.error.code).toBe('NOT_OWN_LIBRARY');
    const patron = await f.t.login('21000001', fixturePatronPassword);
    expect((await patron.get('/libraries/A/messages')).status).toBe(403);
    expect((await f.t.anonymous.get('/libraries/B/messages')).status).toBe(401);
    expect((await f.admin.get('/libraries/NOPE/messages')).status).toBe(404);
    expect((await f.admin.get('/libraries/B/messages?unread=yes')).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'unread' });
  });
});

describe('POST /libraries/:code/messages/:id/read', () => {
  it('marks a message read once; ?unread=true leaves it out', async () => {
    const staff = await f.staff('B', 'circ');
    const [newest, oldest] = (await staff.get('/libraries/B/messages')).body;
    f.t.clock.set(new Date('2025-03-04T14:00:00Z'));
    const read = await staff.post(`/libraries/B/messages/${oldest.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: oldest.id, readAt: '2025-03-04T14:00:00.000Z' });
    f.t.clock.set(new Date('2025-03-05T14:00:00Z'));
    expect((await staff.post(`/libraries/B/messages/${oldest.id}/read`)).body.readAt).toBe('2025-03-04T14:00:00.000Z');
    expect((await staff.get('/libraries/B/messages?unread=true')).body.map((m: { id: number }) => m.id)).toEqual([newest.id]);
    expect((await staff.get('/libraries/B/messages?unread=false')).body).toHaveLength(2);
  });

  it("refuses another library's staff, an unknown or foreign message, a bad id and anonymous callers", async () => {
    const [message] = (await (await f.staff('B', 'circ')).get('/libraries/B/messages')).body;
    expect((await (await f.staff('A', 'circ')).post(`/libraries/B/messages/${message.id}/read`)).status).toBe(403);
    // A's staff cannot reach B's message through A's list either
    expect((await (await f.staff('A', 'circ')).post(`/libraries/A/messages/${message.id}/read`)).status).toBe(404);
    expect((await f.admin.post('/libraries/B/messages/999999/read')).status).toBe(404);
    expect((await f.admin.post('/libraries/B/messages/abc/read')).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'id' });
    expect((await f.t.anonymous.post(`/libraries/B/messages/${message.id}/read`)).status).toBe(401);
  });
});
