import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { desk } from '../support/desk';
import { patronBarcode, scenarioFixture, type ScenarioFixture } from '../support/scenario-fixture';

// SCENARIOS.md 40, through the API: holds placed, captured, received, checked out and cancelled
// in March 2025, then A's holds report for the month. The report is read from the events, so it
// must come out the same after the patrons are anonymised and the holds purged.

const PA1 = patronBarcode('PA1');
const PB1 = patronBarcode('PB1');
const PC1 = patronBarcode('PC1');
const A = { code: 'A', name: 'Abbot Library' };
const B = { code: 'B', name: 'Bangor Library' };
const alice = { barcode: PA1, name: 'Alice Anders' };
const betty = { barcode: PB1, name: 'Betty Bishop' };

/** March 2025 at 10:00 in Maine (EST until the 9th, EDT after). */
const march = (day: number): string => `2025-03-${String(day).padStart(2, '0')}T${day < 9 ? '15' : '14'}:00:00.000Z`;

async function checkOut(f: ScenarioFixture, code: string, patron: string, item: string): Promise<void> {
  const res = await (await f.staff(code, 'circ')).post('/circulation/checkout', { patronBarcode: patron, itemBarcode: item });
  expect(res.status, res.text).toBe(201);
}

/** A simple CSV reader for the report's cells, which hold no commas, quotes or line ends. */
function csvRows(text: string): string[][] {
  return text.trimEnd().split('\r\n').map((line) => line.split(','));
}

describe('the holds report (SCENARIOS 40)', () => {
  it('40. Holds report', async () => {
    const f = await scenarioFixture({ now: new Date(march(3)) });
    const d = desk(f);
    // one copy each, so the targets are certain: B's copies fill PA1's holds, A's copies PB1's
    const walden = await d.title('Walden (40)', { B: '32000401' });
    const capeCod = await d.title('Cape Cod (40)', { B: '32000402' });
    const wildApples = await d.title('Wild Apples (40)', { A: '31000401' });
    const autumnal = await d.title('Autumnal Tints (40)', { A: '31000402' });

    // Monday 3rd: PA1 places 3 holds, PB1 2, PC1 1 (on T1, for C's own copy)
    const pa1Walden = await d.holdFor(PA1, walden, 'A');
    const pa1CapeCod = await d.holdFor(PA1, capeCod, 'A');
    const pa1Woods = await d.holdFor(PA1, f.t1, 'A');
    const pb1Apples = await d.holdFor(PB1, wildApples, 'B');
    const pb1Tints = await d.holdFor(PB1, autumnal, 'B');
    const pc1Woods = await d.holdFor(PC1, f.t1, 'C');
    expect(pc1Woods.target.barcode).toBe('33000001');

    // 4th: the lending libraries capture; 5th: the pickup libraries receive, PA1 cancels one
    await d.setClock(march(4));
    for (const item of ['32000401', '32000402']) await d.scan('B', item);
    for (const item of ['31000401', '31000402']) await d.scan('A', item);
    await d.setClock(march(5));
    for (const item of ['32000401', '32000402']) await d.scan('A', item);
    for (const item of ['31000401', '31000402']) await d.scan('B', item);
    const cancelled = await (await f.patron('PA1')).post(`/holds/${pa1Woods.id}/cancel`, { reason: 'patron-request' });
    expect(cancelled.status, cancelled.text).toBe(200);

    // Monday 10th (EDT): the patrons collect their copies
    await d.setClock(march(10));
    await checkOut(f, 'A', PA1, '32000401');
    await checkOut(f, 'A', PA1, '32000402');
    await checkOut(f, 'B', PB1, '31000401');
    await checkOut(f, 'B', PB1, '31000402');

    const staffA = await f.staff('A', 'circ');
    const report = await staffA.get('/reports/holds?library=A&from=2025-03-01&to=2025-03-31');
    expect(report.status, report.text).toBe(200);
    const filledByB = { homeLibrary: A, lendingLibrary: B, pickupLibrary: A, patron: alice, placedAt: march(3), filledAt: march(10), cancelledAt: null, cancelReason: null };
    const filledByA = { homeLibrary: B, lendingLibrary: A, pickupLibrary: B, patron: betty, placedAt: march(3), filledAt: march(10), cancelledAt: null, cancelReason: null };
    expect(report.body).toEqual({
      library: A,
      from: '2025-03-01',
      to: '2025-03-31',
      placedByOurPatrons: [
        { holdId: pa1Walden.id, title: 'Walden (40)', ...filledByB },
        { holdId: pa1CapeCod.id, title: 'Cape Cod (40)', ...filledByB },
        // targeted at A's own copy, never captured: no lending library
        { holdId: pa1Woods.id, title: 'The Maine Woods', homeLibrary: A, lendingLibrary: null, pickupLibrary: A, patron: alice, placedAt: march(3), filledAt: null, cancelledAt: march(5), cancelReason: 'patron-request' },
      ],
      placedByOtherPatrons: [
        { holdId: pb1Apples.id, title: 'Wild Apples (40)', ...filledByA },
        { holdId: pb1Tints.id, title: 'Autumnal Tints (40)', ...filledByA },
      ],
      totals: { placed: 3, borrowed: 2, lent: 2, cancelled: 1 },
    });

    // the CSV gives the same rows, each naming its list
    const csv = await staffA.get('/reports/holds?library=A&from=2025-03-01&to=2025-03-31&format=csv');
    expect(csv.status, csv.text).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const [header, ...rows] = csvRows(csv.text);
    expect(header).toEqual(['Kind', 'Hold', 'Patron barcode', 'Patron', 'Home library', 'Title', 'Lending library', 'Pickup library', 'Placed', 'Filled', 'Cancelled', 'Cancel reason']);
    const asCsv = (kind: string) => (r: any) => [kind, String(r.holdId), r.patron.barcode, r.patron.name, r.homeLibrary.code, r.title, r.lendingLibrary?.code ?? '', r.pickupLibrary.code, r.placedAt ?? '', r.filledAt ?? '', r.cancelledAt ?? '', r.cancelReason ?? ''];
    expect(rows).toEqual([...report.body.placedByOurPatrons.map(asCsv('placedByOurPatrons')), ...report.body.placedByOtherPatrons.map(asCsv('placedByOtherPatrons'))]);

    // B sees the same holds from the other side
    const atB = await (await f.staff('B', 'circ')).get('/reports/holds?library=B&from=2025-03-01&to=2025-03-31');
    expect(atB.body.placedByOurPatrons.map((r: any) => r.holdId)).toEqual([pb1Apples.id, pb1Tints.id]);
    expect(atB.body.placedByOtherPatrons.map((r: any) => r.holdId)).toEqual([pa1Walden.id, pa1CapeCod.id]);
    expect(atB.body.totals).toEqual({ placed: 2, borrowed: 2, lent: 2, cancelled: 0 });

    // the patrons' personal data removed: the report keeps the names it had
    const db = f.t.connection.db;
    await sql`UPDATE patrons SET first_name = 'Removed', last_name = 'Patron', barcode = 'removed-' || id, email = NULL, phone = NULL, username = NULL
              WHERE barcode IN (${PA1}, ${PB1})`.execute(db);
    expect((await staffA.get('/reports/holds?library=A&from=2025-03-01&to=2025-03-31')).body).toEqual(report.body);

    // the closed holds purged, with the rows that need them: the report is still the same
    const closed = [pa1Walden.id, pa1CapeCod.id, pa1Woods.id, pb1Apples.id, pb1Tints.id];
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('notices').where('hold_id', 'in', closed).execute();
      await trx.deleteFrom('library_messages').where('hold_id', 'in', closed).execute();
      await trx.updateTable('loans').set({ hold_id: null }).where('hold_id', 'in', closed).execute();
      await trx.deleteFrom('transits').where('hold_id', 'in', closed).execute();
      await trx.deleteFrom('holds').where('id', 'in', closed).execute();
    });
    expect(await db.selectFrom('holds').select('id').where('id', 'in', closed).execute()).toEqual([]);
    expect((await staffA.get('/reports/holds?library=A&from=2025-03-01&to=2025-03-31')).body).toEqual(report.body);
    expect((await staffA.get('/reports/holds?library=A&from=2025-03-01&to=2025-03-31&format=csv')).text).toBe(csv.text);
  });
});
