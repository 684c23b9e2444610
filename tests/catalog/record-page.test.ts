import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumFixture, fixturePatrons, type ConsortiumFixture } from '../support/fixture';
import { importFile, testRecord } from './sample-catalogs';

// GET /records/:id after an import: what the catalog shows of a title, and where its copies
// are — per library, with status, the due date of a copy on loan, and the holds queue.

let fixture: ConsortiumFixture;

beforeAll(async () => {
  fixture = await createConsortiumFixture();
});
afterAll(() => fixture?.t.close());

describe('the record page', () => {
  it('shows title, author, publication, subjects, ISBN, format, copies per library and the holds queue', async () => {
    const { t } = fixture;
    const file = testRecord({
      id: 'rp-1',
      source: 'TEST',
      title: 'The Maine woods /',
      author: 'Thoreau, Henry David,',
      isbn: '978-0-306-40615-7 (pbk.)',
      subject: 'Maine',
      items: [
        { library: 'A', barcode: 'rp-a1', callNumber: '917.41 THO', location: 'Stacks' },
        { library: 'A', barcode: 'rp-a2', callNumber: '917.41 THO' },
        { library: 'B', barcode: 'rp-b1' },
      ],
    });
    const res = await importFile(await t.admin(), file, '?items=koha');
    expect(res.body).toMatchObject({ imported: 1, items: 3 });
    const db = t.connection.db;
    const record = await db.selectFrom('records').select('id').where('control_number', '=', 'rp-1').executeTakeFirstOrThrow();
    const patrons = await db.selectFrom('patrons').select(['id', 'barcode']).where('barcode', 'in', [fixturePatrons.PA1.barcode, fixturePatrons.PB1.barcode]).execute();
    const lib = await db.selectFrom('libraries').select('id').where('code', '=', 'A').executeTakeFirstOrThrow();
    const onLoan = await db.selectFrom('items').select('id').where('barcode', '=', 'rp-a2').executeTakeFirstOrThrow();
    await db.updateTable('items').set({ status: 'checked-out' }).where('id', '=', onLoan.id).execute();
    await db.insertInto('loans').values({ item_id: onLoan.id, patron_id: patrons[0].id, library_id: lib.id, checked_out_at: t.clock.now(), due_date: '2025-03-24' }).execute();
    const shelf = await db.selectFrom('items').select('id').where('barcode', '=', 'rp-a1').executeTakeFirstOrThrow();
    await db.updateTable('items').set({ status: 'on-holds-shelf' }).where('id', '=', shelf.id).execute();
    await db
      .insertInto('holds')
      .values([
        { type: 'title', patron_id: patrons[0].id, record_id: record.id, pickup_library_id: lib.id, status: 'on-holds-shelf', captured_item_id: shelf.id, requested_at: t.clock.now() },
        { type: 'title', patron_id: patrons[1].id, record_id: record.id, pickup_library_id: lib.id, status: 'waiting', requested_at: t.clock.now() },
      ])
      .execute();

    const page = await t.anonymous.get(`/records/${record.id}`);
    expect(page.status, page.text).toBe(200);
    expect(page.body).toMatchObject({
      id: record.id,
      title: 'The Maine woods',
      author: 'Thoreau, Henry David',
      publication: 'Bangor : Tamarack Press, 2013',
      publisher: 'Tamarack Press',
      year: 2013,
      subjects: ['Maine'],
      isbn: ['9780306406157'],
      format: 'book',
      holdCount: 2,
      queueLength: 1,
      holdings: [
        { library: { code: 'A', name: 'Abbot Library' }, total: 2, available: 0 },
        { library: { code: 'B', name: 'Bangor Library' }, total: 1, available: 1 },
      ],
    });
    expect(page.body.volumes).toEqual([
      {
        id: expect.any(Number),
        library: { code: 'A', name: 'Abbot Library' },
        callNumber: '917.41 THO',
        items: [
          expect.objectContaining({ barcode: 'rp-a1', status: 'on-holds-shelf', location: { name: 'Stacks', holdable: true }, dueDate: null }),
          expect.objectContaining({ barcode: 'rp-a2', status: 'checked-out', dueDate: '2025-03-24' }),
        ],
      },
      {
        id: expect.any(Number),
        library: { code: 'B', name: 'Bangor Library' },
        // no call number in the 952: one suggested from the record (a shelf by format and author)
        callNumber: 'FIC THO',
        items: [expect.objectContaining({ barcode: 'rp-b1', status: 'available', dueDate: null })],
      },
    ]);
  });
});
