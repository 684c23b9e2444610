import { describe, expect, it } from 'vitest';
import { patronBarcode, placeHold, scenarioFixture, t1Items, targetOf } from '../support/scenario-fixture';

// SCENARIOS.md 12, 13 and 14: copy and volume holds, duplicates and limits, and many holds at
// once, through the API.

const { A, B, C, D, S1, S2 } = t1Items;

describe('Hold rules', { timeout: 90_000 }, () => {
  it('12. Copy and volume holds are local', async () => {
    const f = await scenarioFixture();
    // a second copy in A's volume, so that the volume hold has a copy of its own to target
    const second = await f.addItem('A', f.t1, '31000002');
    const aVolume = second.volume.id as number;
    const aCirc = await f.staff('A', 'circ');

    const copy = await placeHold(aCirc, { patronBarcode: patronBarcode('PA2'), type: 'copy', itemBarcode: A });
    expect(copy).toMatchObject({ type: 'copy', status: 'targeted', pickupLibrary: { code: 'A' }, target: { barcode: A } });

    const volume = await placeHold(aCirc, { patronBarcode: patronBarcode('PA1'), type: 'volume', volumeId: aVolume });
    expect(volume).toMatchObject({ type: 'volume', status: 'targeted', target: { barcode: '31000002', library: { code: 'A' } } });

    // the volume's two copies are taken: a third volume hold waits although B's and C's are free
    const waiting = await placeHold(aCirc, { patronBarcode: patronBarcode('PC1'), type: 'volume', volumeId: aVolume });
    expect(waiting).toMatchObject({ type: 'volume', status: 'waiting', target: null });

    const notOurs = await aCirc.post('/holds', { patronBarcode: patronBarcode('PB1'), type: 'copy', itemBarcode: B });
    expect(notOurs.status, notOurs.text).toBe(403);
    expect(notOurs.body.error.code).toBe('NOT_OWN_LIBRARY');
    const pb1Holds = await f.admin.get(`/holds?patron=${patronBarcode('PB1')}`);
    expect(pb1Holds.status, pb1Holds.text).toBe(200);
    expect(pb1Holds.body).toEqual([]);
  });

  it('13. Duplicates and limits', async () => {
    const f = await scenarioFixture();
    const pa1 = await f.patron('PA1');
    const first = await placeHold(pa1, { type: 'title', recordId: f.t1 });
    expect(targetOf(first)).toBe(A);

    const duplicate = await pa1.post('/holds', { type: 'title', recordId: f.t1 });
    expect(duplicate.status, duplicate.text).toBe(409);
    expect(duplicate.body.error.code).toBe('HOLD_EXISTS');
    expect(duplicate.body.error.message).toEqual(expect.any(String));

    const limit = await f.admin.patch('/consortium', { maxOpenHoldsPerPatron: 2 });
    expect(limit.status, limit.text).toBe(200);
    const walden = await f.createRecord('Walden');
    const capeCod = await f.createRecord('Cape Cod');
    await placeHold(pa1, { type: 'title', recordId: walden });
    const third = await pa1.post('/holds', { type: 'title', recordId: capeCod });
    expect(third.status, third.text).toBe(409);
    expect(third.body.error.code).toBe('HOLD_LIMIT');
    expect(third.body.error.message).toMatch(/\b2\b/);

    const holds = await f.admin.get(`/holds?patron=${patronBarcode('PA1')}`);
    expect(holds.status, holds.text).toBe(200);
    expect(holds.body.map((h: { record: { id: number } }) => h.record.id).sort()).toEqual([f.t1, walden].sort());
  });

  it('14. Concurrency', { timeout: 120_000 }, async () => {
    const f = await scenarioFixture();
    // five copies free: A's, B's, C's, S1's and S2's (D's is out, and D does not lend anyway)
    await f.lend(D);
    const aCirc = await f.staff('A', 'circ');
    const barcodes: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const barcode = String(21000100 + i);
      const res = await aCirc.post('/patrons', { barcode, firstName: 'Many', lastName: `Reader${i}`, homeLibraryCode: 'A' });
      expect(res.status, res.text).toBe(201);
      barcodes.push(barcode);
    }

    const answers = await Promise.all(barcodes.map((barcode) => aCirc.post('/holds', { patronBarcode: barcode, type: 'title', recordId: f.t1 })));
    for (const res of answers) expect(res.status, res.text).toBe(201);
    const targets = answers.map((res) => targetOf(res.body)).filter((t): t is string => t !== null);
    expect(targets.sort()).toEqual([A, B, C, S1, S2].sort());
    expect(answers.filter((res) => res.body.status === 'waiting')).toHaveLength(15);

    // and so it stays in the database
    const rows = await f.t.connection.db
      .selectFrom('holds')
      .innerJoin('items', 'items.id', 'holds.target_item_id')
      .select('items.barcode')
      .where('holds.record_id', '=', f.t1)
      .where('holds.status', '=', 'targeted')
      .execute();
    expect(rows.map((r) => r.barcode).sort()).toEqual([A, B, C, S1, S2].sort());
  });
});
