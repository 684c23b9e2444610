import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumFixture, fixturePatronPassword, fixturePatrons, type ConsortiumFixture } from '../support/fixture';
import { desk, type Desk } from '../support/desk';

// GET /reports/holds and GET /reports/lending-balance (API.md "Notices and reports"), from the
// real flow: POST /holds, scans, checkouts, cancels and shelf clearing, with POST /admin/clock
// moving time. Each test works in months of its own, so the others' holds stay out of its period.
let f: ConsortiumFixture;
const PA1 = fixturePatrons.PA1.barcode;
const PA2 = fixturePatrons.PA2.barcode;
const PB1 = fixturePatrons.PB1.barcode;
const PC1 = fixturePatrons.PC1.barcode;
const A = { code: 'A', name: 'Abbot Library' };
const B = { code: 'B', name: 'Bangor Library' };
const C = { code: 'C', name: 'Camden Library' };

beforeAll(async () => {
  f = await createConsortiumFixture(new Date('2025-03-03T15:00:00Z'));
});
afterAll(() => f.t.close());

const d = (): Desk => desk(f, (barcode) => `F THO ${barcode}`);

async function checkOut(code: string, patron: string, item: string): Promise<void> {
  const res = await (await f.staff(code, 'circ')).post('/circulation/checkout', { patronBarcode: patron, itemBarcode: item });
  expect(res.status, res.text).toBe(201);
}

/** A one-copy title lent from `owner` to `patron` at `pickup`: placed, captured, received and checked out at `at`. */
async function fill(patron: string, owner: string, pickup: string, barcode: string, at: string): Promise<number> {
  await d().setClock(at);
  const hold = await d().holdFor(patron, await d().title(`Filled ${barcode}`, { [owner]: barcode }), pickup);
  await d().scan(owner, barcode);
  if (owner !== pickup) await d().scan(pickup, barcode);
  await checkOut(pickup, patron, barcode);
  return hold.id;
}

describe('GET /reports/holds', () => {
  it('refuses bad input with the field at fault', async () => {
    const error = async (query: string) => (await f.admin.get(`/reports/holds${query}`)).body.error;
    expect(await error('?from=2025-03-01&to=2025-03-31')).toMatchObject({ code: 'INVALID_INPUT', field: 'library' });
    expect(await error('?library=A&to=2025-03-31')).toMatchObject({ code: 'INVALID_INPUT', field: 'from' });
    expect(await error('?library=A&from=2025-03-01')).toMatchObject({ code: 'INVALID_INPUT', field: 'to' });
    expect(await error('?library=A&from=2025-02-30&to=2025-03-31')).toMatchObject({ code: 'INVALID_INPUT', field: 'from' });
    expect(await error('?library=A&from=2025-03-01&to=31.03.2025')).toMatchObject({ code: 'INVALID_INPUT', field: 'to' });
    expect(await error('?library=A&from=2025-03-31&to=2025-03-01')).toMatchObject({ code: 'INVALID_INPUT', field: 'to' });
    expect(await error('?library=A&from=2025-03-01&to=2025-03-31&format=xml')).toMatchObject({ code: 'INVALID_INPUT', field: 'format' });
    expect(await error('?library=a%20b&from=2025-03-01&to=2025-03-31')).toMatchObject({ code: 'INVALID_INPUT', field: 'library' });
    expect((await f.admin.get('/reports/holds?library=A&from=2025-03-01&to=2025-03-31&page=2')).status).toBe(400);
    expect((await f.admin.get('/reports/holds?library=NOPE&from=2025-03-01&to=2025-03-31')).body.error.code).toBe('NOT_FOUND');
  });

  it("is for the library's own staff of any role and the consortium administrator", async () => {
    const query = 'from=2025-03-01&to=2025-03-31';
    expect((await f.t.anonymous.get(`/reports/holds?library=A&${query}`)).body.error.code).toBe('UNAUTHENTICATED');
    const patron = await f.t.login(PA1, fixturePatronPassword);
    expect((await patron.get(`/reports/holds?library=A&${query}`)).body.error.code).toBe('FORBIDDEN');
    const other = await (await f.staff('B', 'circ')).get(`/reports/holds?library=A&${query}`);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await (await f.staff('B', 'admin')).get(`/reports/holds?library=A&${query}&format=csv`)).status).toBe(403);
    for (const kind of ['circ', 'cat', 'admin'] as const) expect((await (await f.staff('A', kind)).get(`/reports/holds?library=A&${query}`)).status).toBe(200);
    expect((await f.admin.get(`/reports/holds?library=B&${query}`)).status).toBe(200);
  });

  it("counts days on the library's calendar, both ends included", async () => {
    // placed in February, captured at B, filled in March: a March hold for the filling only
    await d().setClock('2025-02-27T15:00:00Z');
    const early = await d().holdFor(PA1, await d().title('Early (r)', { B: 'r-b-1' }), 'A');
    await d().setClock('2025-02-28T15:00:00Z');
    await d().scan('B', 'r-b-1');
    await d().setClock('2025-03-03T15:00:00Z');
    await d().scan('A', 'r-b-1');
    await checkOut('A', PA1, 'r-b-1');
    // 23:30 on February 28th in Maine, though March 1st in UTC; and 23:30 on March 31st (EDT)
    await d().setClock('2025-03-01T04:30:00Z');
    const lastOfFebruary = await d().holdFor(PA2, await d().title('Late February (r)', { C: 'r-c-2' }), 'A');
    await d().setClock('2025-04-01T03:30:00Z');
    const lastOfMarch = await d().holdFor(PA2, await d().title('Late March (r)', { C: 'r-c-3' }), 'A');

    const staff = await f.staff('A', 'circ');
    const march = (await staff.get('/reports/holds?library=A&from=2025-03-01&to=2025-03-31')).body;
    expect(march.placedByOurPatrons).toEqual([
      {
        holdId: early.id,
        patron: { barcode: PA1, name: 'Alice Anders' },
        homeLibrary: A,
        title: 'Early (r)',
        lendingLibrary: B,
        pickupLibrary: A,
        placedAt: '2025-02-27T15:00:00.000Z',
        filledAt: '2025-03-03T15:00:00.000Z',
        cancelledAt: null,
        cancelReason: null,
      },
      expect.objectContaining({ holdId: lastOfMarch.id, lendingLibrary: null, placedAt: '2025-04-01T03:30:00.000Z', filledAt: null }),
    ]);
    expect(march.totals).toEqual({ placed: 1, borrowed: 1, lent: 0, cancelled: 0 });
    const february = (await staff.get('/reports/holds?library=A&from=2025-02-01&to=2025-02-28')).body;
    expect(february.placedByOurPatrons.map((r: any) => r.holdId)).toEqual([early.id, lastOfFebruary.id]);
    expect(february.totals).toEqual({ placed: 2, borrowed: 0, lent: 0, cancelled: 0 });
    // B lent it, and sees it in the month it filled the hold
    const atB = (await (await f.staff('B', 'circ')).get('/reports/holds?library=B&from=2025-03-03&to=2025-03-03')).body;
    expect(atB.placedByOtherPatrons.map((r: any) => r.holdId)).toEqual([early.id]);
    expect(atB.totals).toEqual({ placed: 0, borrowed: 0, lent: 1, cancelled: 0 });
    expect((await staff.get('/reports/holds?library=A&from=2025-01-01&to=2025-01-31')).body).toEqual({
      library: A,
      from: '2025-01-01',
      to: '2025-01-31',
      placedByOurPatrons: [],
      placedByOtherPatrons: [],
      totals: { placed: 0, borrowed: 0, lent: 0, cancelled: 0 },
    });
  });

  it("lists other libraries' holds our copies were captured for, cancelled ones too", async () => {
    await d().setClock('2025-04-07T14:00:00Z');
    const travelling = await d().holdFor(PB1, await d().title('Travelling (r)', { A: 'r-a-4' }), 'B');
    const refused = await d().holdFor(PC1, await d().title('Refused (r)', { A: 'r-a-5' }), 'C');
    const notPickedUp = await d().holdFor(PB1, await d().title('Not picked up (r)', { A: 'r-a-6' }), 'B');
    const elsewhere = await d().holdFor(PB1, await d().title('Elsewhere (r)', { B: 'r-b-7' }), 'B');
    const ownCopy = await d().holdFor(PA1, await d().title('Own copy (r)', { A: 'r-a-8' }), 'A');
    for (const item of ['r-a-4', 'r-a-5', 'r-a-6', 'r-a-8']) await d().scan('A', item);
    await d().setClock('2025-04-08T14:00:00Z');
    const cancel = await (await f.staff('A', 'circ')).post(`/holds/${refused.id}/cancel`, { reason: 'lender-unable' });
    expect(cancel.status, cancel.text).toBe(200);
    await d().scan('B', 'r-a-6');
    await checkOut('A', PA1, 'r-a-8');
    // past its shelf expiry (Tuesday 15th, 17:00), B clears its shelf
    await d().setClock('2025-04-16T14:00:00Z');
    const cleared = await (await f.staff('B', 'circ')).post('/libraries/B/holds-shelf/clear');
    expect(cleared.body.cleared, cleared.text).toBe(1);

    const report = (await (await f.staff('A', 'circ')).get('/reports/holds?library=A&from=2025-04-01&to=2025-04-30')).body;
    expect(report.placedByOurPatrons).toEqual([
      expect.objectContaining({ holdId: ownCopy.id, lendingLibrary: A, pickupLibrary: A, filledAt: '2025-04-08T14:00:00.000Z' }),
    ]);
    expect(report.placedByOtherPatrons).toEqual([
      expect.objectContaining({ holdId: travelling.id, patron: { barcode: PB1, name: 'Betty Bishop' }, homeLibrary: B, lendingLibrary: A, pickupLibrary: B, filledAt: null, cancelledAt: null }),
      expect.objectContaining({ holdId: refused.id, homeLibrary: C, lendingLibrary: A, pickupLibrary: C, cancelledAt: '2025-04-08T14:00:00.000Z', cancelReason: 'lender-unable' }),
      expect.objectContaining({ holdId: notPickedUp.id, lendingLibrary: A, cancelledAt: '2025-04-16T14:00:00.000Z', cancelReason: 'not-picked-up' }),
    ]);
    expect(report.placedByOtherPatrons.map((r: any) => r.holdId)).not.toContain(elsewhere.id);
    // a copy of our own fills our patron's hold: not borrowed
    expect(report.totals).toEqual({ placed: 1, borrowed: 0, lent: 0, cancelled: 0 });
  });

  it('gives CSV with the same rows, the first column naming the list', async () => {
    const staff = await f.staff('A', 'circ');
    const json = (await staff.get('/reports/holds?library=A&from=2025-04-01&to=2025-04-30')).body;
    const res = await staff.get('/reports/holds?library=A&from=2025-04-01&to=2025-04-30&format=csv');
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="holds-A-2025-04-01-2025-04-30.csv"');
    expect(res.headers['cache-control']).toBe('no-store');
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe('Kind,Hold,Patron barcode,Patron,Home library,Title,Lending library,Pickup library,Placed,Filled,Cancelled,Cancel reason');
    expect(lines.slice(1, -1).map((line) => line.split(',').slice(0, 2))).toEqual([
      ...json.placedByOurPatrons.map((r: any) => ['placedByOurPatrons', String(r.holdId)]),
      ...json.placedByOtherPatrons.map((r: any) => ['placedByOtherPatrons', String(r.holdId)]),
    ]);
    expect(lines[2]).toBe(`placedByOtherPatrons,${json.placedByOtherPatrons[0].holdId},${PB1},Betty Bishop,B,Travelling (r),A,B,2025-04-07T14:00:00.000Z,,,`);
    expect(lines.at(-1)).toBe('');
    const empty = await staff.get('/reports/holds?library=A&from=2025-01-01&to=2025-01-31&format=csv');
    expect(empty.text).toBe(`${lines[0]}\r\n`);
  });
});

describe('GET /reports/lending-balance', () => {
  it('refuses bad input, anonymous callers and patrons; any staff may read it', async () => {
    const error = async (query: string) => (await f.admin.get(`/reports/lending-balance${query}`)).body.error;
    expect(await error('?to=2025-03-31')).toMatchObject({ code: 'INVALID_INPUT', field: 'from' });
    expect(await error('?from=2025-03-01&to=2025-13-01')).toMatchObject({ code: 'INVALID_INPUT', field: 'to' });
    expect(await error('?from=2025-03-02&to=2025-03-01')).toMatchObject({ code: 'INVALID_INPUT', field: 'to' });
    expect(await error('?from=2025-03-01&to=2025-03-31&by=week')).toMatchObject({ code: 'INVALID_INPUT', field: 'by' });
    expect((await f.t.anonymous.get('/reports/lending-balance?from=2025-03-01&to=2025-03-31')).status).toBe(401);
    expect((await (await f.t.login(PA1, fixturePatronPassword)).get('/reports/lending-balance?from=2025-03-01&to=2025-03-31')).status).toBe(403);
    expect((await (await f.staff('D', 'circ')).get('/reports/lending-balance?from=2025-03-01&to=2025-03-31')).status).toBe(200);
  });

  it('gives lent, borrowed and their ratio per library, and per month with by=month', async () => {
    await fill(PB1, 'A', 'B', 'lb-a-1', '2025-05-05T14:00:00Z');
    await fill(PB1, 'A', 'B', 'lb-a-2', '2025-05-06T14:00:00Z');
    await fill(PA1, 'B', 'A', 'lb-b-1', '2025-05-07T14:00:00Z');
    // 22:00 on May 31st in Maine: a May fill, though June in UTC
    await fill(PA2, 'C', 'A', 'lb-c-1', '2025-06-01T02:00:00Z');
    await fill(PC1, 'A', 'C', 'lb-a-3', '2025-06-02T14:00:00Z');
    // a library's own copy for its own patron is no lending
    await fill(PC1, 'C', 'C', 'lb-c-2', '2025-06-03T14:00:00Z');
    const none = { lent: 0, borrowed: 0, ratio: null };
    const staff = await f.staff('B', 'circ');

    const total = await staff.get('/reports/lending-balance?from=2025-05-01&to=2025-06-30');
    expect(total.status, total.text).toBe(200);
    expect(total.body).toEqual([
      { library: A, lent: 3, borrowed: 2, ratio: 1.5 },
      { library: B, lent: 1, borrowed: 2, ratio: 0.5 },
      { library: C, lent: 1, borrowed: 1, ratio: 1 },
      { library: { code: 'D', name: 'Dover Library' }, ...none },
      { library: { code: 'S1', name: 'Southern One' }, ...none },
      { library: { code: 'S2', name: 'Southern Two' }, ...none },
    ]);

    const byMonth = await staff.get('/reports/lending-balance?from=2025-05-01&to=2025-06-30&by=month');
    expect(byMonth.status, byMonth.text).toBe(200);
    expect(byMonth.body).toHaveLength(12);
    expect(byMonth.body.slice(0, 6)).toEqual([
      { library: A, month: '2025-05', lent: 2, borrowed: 2, ratio: 1 },
      { library: A, month: '2025-06', lent: 1, borrowed: 0, ratio: null },
      { library: B, month: '2025-05', lent: 1, borrowed: 2, ratio: 0.5 },
      { library: B, month: '2025-06', ...none },
      { library: C, month: '2025-05', lent: 1, borrowed: 0, ratio: null },
      { library: C, month: '2025-06', lent: 0, borrowed: 1, ratio: 0 },
    ]);

    // one day, on the libraries' calendar: only the fill of May 31st, evening
    expect((await staff.get('/reports/lending-balance?from=2025-05-31&to=2025-05-31')).body.slice(0, 3)).toEqual([
      { library: A, lent: 0, borrowed: 1, ratio: 0 },
      { library: B, ...none },
      { library: C, lent: 1, borrowed: 0, ratio: null },
    ]);
  });

  it('says in the OpenAPI document what ratio is', async () => {
    const doc = (await f.t.anonymous.get('/api/v1/openapi.json')).body;
    expect(doc.paths['/api/v1/reports/lending-balance'].get.description).toContain('ratio = lent / borrowed');
    expect(doc.paths['/api/v1/reports/holds'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['library', 'from', 'to', 'format']));
  });
});
