import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random';
import { createConsortiumFixture, type ConsortiumFixture } from '../support/fixture';

// The scan endpoint's contract; the behaviour scenarios live in tests/scenarios.
let f: ConsortiumFixture;
let recordId: number;

beforeAll(async () => {
  const random = seededRandom(3);
  f = await createConsortiumFixture(undefined, { random: () => random.next() });
  recordId = (await f.admin.post('/records', { title: 'The Maine Woods' })).body.id;
  for (const [code, barcode] of [['A', '31000001'], ['B', '32000001']]) {
    expect((await (await f.staff(code, 'cat')).post('/items', { recordId, libraryCode: code, callNumber: '917.41 THO', barcode, catalogedAt: '2024-01-01' })).status).toBe(201);
  }
});
afterAll(() => f.t.close());

describe('POST /circulation/scan', () => {
  it('captures a pulled item for another library and sends it there with two transit slips', async () => {
    const hold = await (await f.staff('B', 'circ')).post('/holds', { patronBarcode: '22000001', type: 'title', recordId, pickupLibraryCode: 'B' });
    expect(hold.body.target.barcode).toBe('32000001');
    // B's copy is targeted; A's copy is scanned at A: it captures PB1's hold only if it is the target
    const atA = await (await f.staff('A', 'circ')).post('/circulation/scan', { itemBarcode: '31000001' });
    expect(atA.status).toBe(200);
    expect(atA.body).toMatchObject({ action: 'shelve', slips: [] });
    const atB = await (await f.staff('B', 'circ')).post('/circulation/scan', { itemBarcode: '32000001' });
    expect(atB.body).toMatchObject({ action: 'holds-shelf', patron: { barcode: '22000001' }, notice: 'phone-call', hold: { status: 'on-holds-shelf' } });
    expect(atB.body.slips).toEqual([{ kind: 'hold-shelf', copies: 1, url: expect.stringMatching(/^\/api\/v1\/slips\/hold-shelf\/\d+$/) }]);
    const again = await (await f.staff('B', 'circ')).post('/circulation/scan', { itemBarcode: '32000001' });
    expect(again.body.action).toBe('holds-shelf');
    expect(again.body.messages.join(' ')).toMatch(/nothing was changed/);
  });

  it('refuses unknown items, bad bodies, patrons and anonymous callers', async () => {
    const staff = await f.staff('A', 'circ');
    expect((await staff.post('/circulation/scan', { itemBarcode: 'NOPE' })).status).toBe(404);
    expect((await staff.post('/circulation/scan', {})).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'itemBarcode' });
    expect((await staff.post('/circulation/scan', { itemBarcode: '31000001', libraryCode: 'B' })).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await f.t.anonymous.post('/circulation/scan', { itemBarcode: '31000001' })).status).toBe(401);
    const admin = await f.admin.post('/circulation/scan', { itemBarcode: '31000001' });
    expect(admin.status).toBe(403);
  });
});
