import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/cli/demo-seed';
import { createTestApp, type Caller, type TestApp } from '../support/test-app';

// The demo consortium walked through the whole loop of a hold between two libraries, through
// the API only, checking every state on the way: place → pull → capture → transit → receive →
// check out → return → home.
const now = new Date('2025-03-03T15:00:00Z');
const demoPassword = 'demo-password';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp(now);
  expect(await seedDemo(t.connection.db, now)).not.toBeNull();
}, 120_000);
afterAll(() => t.close());

interface Pick {
  recordId: number;
  barcode: string;
  owner: string;
  patron: string;
}

/** A title with exactly one copy, available at a lending library other than BAR, and a BAR patron who may place holds. */
async function pickTitle(): Promise<Pick> {
  const { rows } = await sql<{ record_id: number; barcode: string; code: string }>`
    SELECT i.record_id, i.barcode, l.code
    FROM items i JOIN libraries l ON l.id = i.owning_library_id
    LEFT JOIN shelving_locations s ON s.id = i.location_id
    WHERE i.status = 'available' AND i.holdable AND i.circulates AND coalesce(s.holdable, true)
      AND i.age_protection = 'none' AND l.participates_in_lending AND l.code <> 'BAR'
      AND (SELECT count(*) FROM items o WHERE o.record_id = i.record_id) = 1
    ORDER BY i.record_id LIMIT 1`.execute(t.connection.db);
  const { rows: patrons } = await sql<{ barcode: string }>`
    SELECT p.barcode FROM patrons p JOIN libraries l ON l.id = p.home_library_id
    WHERE l.code = 'BAR' AND NOT p.blocked ORDER BY p.barcode LIMIT 1`.execute(t.connection.db);
  return { recordId: rows[0].record_id, barcode: rows[0].barcode, owner: rows[0].code, patron: patrons[0].barcode };
}

describe('a hold between two demo libraries, from placing to home again', () => {
  it('passes through every state and back', async () => {
    const pick = await pickTitle();
    const bar: Caller = await t.login('bar-circ', demoPassword);
    const owner: Caller = await t.login(`${pick.owner.toLowerCase()}-circ`, demoPassword);
    const item = async () => (await bar.get(`/items/${pick.barcode}`)).body;

    // place: targeted at once to the only copy, at the owning library
    const placed = await bar.post('/holds', { patronBarcode: pick.patron, type: 'title', recordId: pick.recordId });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'targeted', pickupLibrary: { code: 'BAR' }, target: { barcode: pick.barcode, library: { code: pick.owner } } });
    const holdId = placed.body.id;
    const hold = async () => (await bar.get(`/holds/${holdId}`)).body;

    // pull: on the owning library's pull list
    const pull = await owner.get(`/libraries/${pick.owner}/pull-list`);
    expect(pull.body.map((row: { item: { barcode: string } }) => row.item.barcode)).toContain(pick.barcode);

    // capture: scanned at the owner, sent to BAR with two transit slips
    const captured = await owner.post('/circulation/scan', { itemBarcode: pick.barcode });
    expect(captured.body).toMatchObject({ action: 'transit', destination: { code: 'BAR' }, patron: { barcode: pick.patron } });
    expect(captured.body.slips[0]).toMatchObject({ kind: 'transit', copies: 2 });
    expect(await hold()).toMatchObject({ status: 'in-transit' });
    expect(await item()).toMatchObject({ status: 'in-transit', transit: { kind: 'hold' } });

    // receive: on BAR's holds shelf for the patron
    const received = await bar.post('/circulation/scan', { itemBarcode: pick.barcode });
    expect(received.body).toMatchObject({ action: 'holds-shelf', patron: { barcode: pick.patron } });
    expect(await hold()).toMatchObject({ status: 'on-holds-shelf', shelfExpiresAt: expect.any(String) });
    expect(await item()).toMatchObject({ status: 'on-holds-shelf', currentLibrary: { code: 'BAR' }, transit: null });

    // check out: the hold is fulfilled, one circulation counted
    const loan = await bar.post('/circulation/checkout', { patronBarcode: pick.patron, itemBarcode: pick.barcode });
    expect(loan.status).toBe(201);
    expect(loan.body).toMatchObject({ fulfilledHoldId: holdId, loan: { dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) } });
    expect(loan.body.slips).toEqual([{ kind: 'due-date', copies: 1, url: `/api/v1/slips/due-date/${loan.body.loan.id}` }]);
    const slip = await bar.request({ method: 'GET', url: loan.body.slips[0].url });
    expect(slip.status).toBe(200);
    expect(slip.text).toContain(new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'long', day: 'numeric' }).format(new Date(`${loan.body.loan.dueDate}T12:00:00Z`)));
    const pdf = await bar.request({ method: 'GET', url: `${loan.body.slips[0].url}?format=pdf` });
    expect(pdf.text.startsWith('%PDF')).toBe(true);
    expect((await t.anonymous.request({ method: 'GET', url: loan.body.slips[0].url })).status).toBe(401);
    expect(await hold()).toMatchObject({ status: 'fulfilled' });
    expect(await item()).toMatchObject({ status: 'checked-out', circulations: 1, loan: { patron: { barcode: pick.patron } } });

    // return at BAR: the loan closes and the item goes home
    const returned = await bar.post('/circulation/scan', { itemBarcode: pick.barcode });
    expect(returned.body).toMatchObject({ action: 'transit', destination: { code: pick.owner } });
    expect(await item()).toMatchObject({ status: 'in-transit', loan: null, transit: { kind: 'return' } });

    // home: back on its own shelf, still one circulation
    const home = await owner.post('/circulation/scan', { itemBarcode: pick.barcode });
    expect(home.body).toMatchObject({ action: 'shelve' });
    const last = await item();
    expect(last).toMatchObject({ status: 'available', currentLibrary: { code: pick.owner }, transit: null, loan: null, circulations: 1 });
    const kinds = (last.history as { kind: string }[]).map((e) => e.kind).reverse();
    expect(kinds).toEqual(expect.arrayContaining(['hold-targeted', 'hold-captured', 'transit-sent', 'transit-received', 'hold-shelved', 'item-returned']));
  });
});
