import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumFixture, fixturePatronPassword, fixturePatrons, type ConsortiumFixture } from '../support/fixture';
import type { ApiResponse } from '../support/test-app';
import { desk, type Desk } from '../support/desk';

// The lists that replace paper folders — lent out, received, problems (API.md "Circulation") —
// through the real flow: POST /holds, scans, POST /admin/clock to let time pass.
let f: ConsortiumFixture;
const monday = '2025-03-03T15:00:00Z';
const PB1 = fixturePatrons.PB1.barcode;
const PC1 = fixturePatrons.PC1.barcode;

beforeAll(async () => {
  f = await createConsortiumFixture(new Date(monday));
});
afterAll(() => f.t.close());

// bound once the fixture exists
const d = (): Desk => desk(f);
const title: Desk['title'] = (name, copies) => d().title(name, copies);
const holdFor: Desk['holdFor'] = (patronBarcode, recordId, pickup) => d().holdFor(patronBarcode, recordId, pickup);
const scan: Desk['scan'] = (code, itemBarcode) => d().scan(code, itemBarcode);
const setClock: Desk['setClock'] = (now) => d().setClock(now);

const rowsFor = (res: ApiResponse, suffix: string) => (res.body as any[]).filter((r) => r.item.barcode.endsWith(suffix));

describe('GET /libraries/:code/lent-out and /received', () => {
  it('41. Lists instead of paper folders', async () => {
    await setClock(monday);
    // four of A's copies: one to B's shelf for PB1, one on its way to C for PC1, one lent at B, one at home
    const toShelf = await title('The Maine Woods (41)', { A: '31000041' });
    const toC = await title('Cape Cod (41)', { A: '31000141' });
    const lent = await title('Walden (41)', { A: '31000241' });
    await title('Wild Apples (41)', { A: '31000341' });
    expect((await holdFor(PB1, toShelf, 'B')).target.barcode).toBe('31000041');
    await holdFor(PC1, toC, 'C');
    await holdFor(PB1, lent, 'B');
    for (const barcode of ['31000041', '31000141', '31000241']) await scan('A', barcode);
    await setClock('2025-03-04T15:00:00Z');
    await scan('B', '31000041');
    await scan('B', '31000241');
    await setClock('2025-03-05T15:00:00Z');
    const loan = await (await f.staff('B', 'circ')).post('/circulation/checkout', { patronBarcode: PB1, itemBarcode: '31000241' });
    expect(loan.status, loan.text).toBe(201);
    expect(loan.body.loan.dueDate).toBe('2025-03-26');
    // and one of C's copies on B's shelf for PB1, to show the owner on B's "received" list
    const fromC = await title('Excursions (41)', { C: '33000041' });
    await holdFor(PB1, fromC, 'B');
    await scan('C', '33000041');
    await scan('B', '33000041');

    const a = await f.staff('A', 'circ');
    const lentOut = await a.get('/libraries/A/lent-out');
    expect(lentOut.status, lentOut.text).toBe(200);
    const byBarcode = Object.fromEntries(rowsFor(lentOut, '41').map((r: any) => [r.item.barcode, r]));
    // 31000341 sits on A's own shelf: not away
    expect(Object.keys(byBarcode).sort()).toEqual(['31000041', '31000141', '31000241']);
    expect(byBarcode['31000041']).toEqual({
      item: { barcode: '31000041', status: 'on-holds-shelf', title: 'The Maine Woods (41)', callNumber: 'F THO' },
      where: { code: 'B', name: 'Bangor Library' },
      state: 'on-holds-shelf',
      since: '2025-03-04T15:00:00.000Z',
      patron: { barcode: PB1, name: 'Betty Bishop' },
    });
    expect(byBarcode['31000141']).toMatchObject({ where: { code: 'C' }, state: 'in-transit', since: new Date(monday).toISOString(), patron: { barcode: PC1 } });
    expect(byBarcode['31000241']).toMatchObject({ where: { code: 'B' }, state: 'checked-out', since: '2025-03-05T15:00:00.000Z', patron: { barcode: PB1 }, dueDate: '2025-03-26' });

    const b = await f.staff('B', 'circ');
    const receivedAtB = await b.get('/libraries/B/received');
    expect(receivedAtB.status, receivedAtB.text).toBe(200);
    const here = rowsFor(receivedAtB, '41');
    expect(here.map((r: any) => [r.item.barcode, r.owner.code, r.state])).toEqual([
      ['31000041', 'A', 'on-holds-shelf'],
      ['31000241', 'A', 'checked-out'],
      ['33000041', 'C', 'on-holds-shelf'],
    ]);
    expect(here[1]).toMatchObject({ owner: { code: 'A', name: 'Abbot Library' }, patron: { barcode: PB1, name: 'Betty Bishop' }, dueDate: '2025-03-26' });
    expect(here[0].patron).toEqual({ barcode: PB1, name: 'Betty Bishop' });
    // travelling copies are on the transit list, not yet "received"; C receives its own copy
    expect(rowsFor(await (await f.staff('C', 'circ')).get('/libraries/C/received'), '41')).toEqual([]);
    await scan('C', '31000141');
    expect(rowsFor(await (await f.staff('C', 'circ')).get('/libraries/C/received'), '41').map((r: any) => [r.item.barcode, r.state])).toEqual([['31000141', 'on-holds-shelf']]);
    expect(rowsFor(await a.get('/libraries/A/lent-out'), '31000141')[0]).toMatchObject({ where: { code: 'C' }, state: 'on-holds-shelf' });
  });

  it('refuses: 400 bad paging, 401, 403 patron and other libraries, 404 unknown library; an admin sees any', async () => {
    const staff = await f.staff('A', 'circ');
    for (const list of ['lent-out', 'received']) {
      expect((await staff.get(`/libraries/A/${list}?limit=0`)).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'limit' });
      expect((await f.t.anonymous.get(`/libraries/A/${list}`)).status).toBe(401);
      expect((await (await f.t.login(PB1, fixturePatronPassword)).get(`/libraries/B/${list}`)).body.error.code).toBe('FORBIDDEN');
      expect((await staff.get(`/libraries/B/${list}`)).body.error.code).toBe('NOT_OWN_LIBRARY');
      expect((await staff.get(`/libraries/NOPE/${list}`)).status).toBe(404);
      expect((await f.admin.get(`/libraries/B/${list}`)).status).toBe(200);
    }
  });
});

describe('GET /libraries/:code/problems', () => {
  it('37. Bouncing flagged', async () => {
    // A's copy is scanned at B by mistake four times in nine days: each time it travels home
    const days = ['2025-03-03', '2025-03-05', '2025-03-08', '2025-03-11'];
    await setClock(`${days[0]}T15:00:00Z`);
    await title('Wild Fruits (37)', { A: '31000037' });
    for (const day of days) {
      await setClock(`${day}T15:00:00Z`);
      expect((await scan('B', '31000037')).body).toMatchObject({ action: 'transit', destination: { code: 'A' } });
      await scan('A', '31000037');
    }
    const a = await f.staff('A', 'circ');
    expect((await a.get('/items/31000037')).body.flags).toEqual(['bouncing']);
    // A was told once, by the scan whose transit made it bouncing
    const told = (await a.get('/libraries/A/messages')).body.filter((m: any) => m.kind === 'item-bouncing');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ from: null, item: { barcode: '31000037' }, subject: 'Item 31000037 keeps travelling', createdAt: '2025-03-11T15:00:00.000Z' });
    expect(told[0].body).toMatch(/sent between libraries 4 times in 10 days/);
    const problems = await a.get('/libraries/A/problems');
    expect(problems.status, problems.text).toBe(200);
    expect(problems.body.find((p: any) => p.item.barcode === '31000037')).toEqual({
      item: { barcode: '31000037', status: 'available', title: 'Wild Fruits (37)', callNumber: 'F THO', library: { code: 'A', name: 'Abbot Library' } },
      flags: ['bouncing'],
      transits: 4,
      lastTransitAt: '2025-03-11T15:00:00.000Z',
    });
    // not B's item, not on B's list
    expect((await (await f.staff('B', 'circ')).get('/libraries/B/problems')).body.map((p: any) => p.item.barcode)).not.toContain('31000037');
    // ten days after the first trip only three remain in the window: no longer flagged
    await setClock('2025-03-13T16:00:00Z');
    expect((await a.get('/items/31000037')).body.flags).toEqual([]);
    expect((await a.get('/libraries/A/problems')).body.map((p: any) => p.item.barcode)).not.toContain('31000037');
  });

  it('flags a transit open longer than 5 days, on the problem list and the item screen', async () => {
    await setClock('2025-03-13T15:00:00Z');
    const recordId = await title('Autumnal Tints (overdue)', { A: 'pr-a-1' });
    await holdFor(PC1, recordId, 'C');
    await scan('A', 'pr-a-1');
    await setClock('2025-03-18T15:00:00Z');
    const a = await f.staff('A', 'circ');
    expect((await a.get('/libraries/A/problems')).body.map((p: any) => p.item.barcode)).not.toContain('pr-a-1');
    await setClock('2025-03-18T15:01:00Z');
    const overdue = (await a.get('/libraries/A/problems')).body.find((p: any) => p.item.barcode === 'pr-a-1');
    expect(overdue).toMatchObject({ item: { status: 'in-transit' }, flags: ['transit-overdue'], transits: 1, lastTransitAt: '2025-03-13T15:00:00.000Z' });
    expect((await (await f.staff('C', 'circ')).get('/items/pr-a-1')).body.flags).toEqual(['transit-overdue']);
  });

  it('refuses: 400 bad paging, 401, 403 patron and other libraries, 404 unknown library; an admin sees any', async () => {
    const staff = await f.staff('A', 'circ');
    expect((await staff.get('/libraries/A/problems?offset=-1')).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'offset' });
    expect((await f.t.anonymous.get('/libraries/A/problems')).status).toBe(401);
    expect((await (await f.t.login(PB1, fixturePatronPassword)).get('/libraries/B/problems')).status).toBe(403);
    expect((await staff.get('/libraries/B/problems')).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await staff.get('/libraries/NOPE/problems')).status).toBe(404);
    expect((await f.admin.get('/libraries/B/problems')).status).toBe(200);
  });
});
