import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConsortiumFixture,
  fixturePatronPassword,
  fixturePatrons,
  type ConsortiumFixture,
  type FixtureStaffKind,
} from '../support/fixture';
import { createTestApp, type Caller, type TestApp } from '../support/test-app';

let t: TestApp;
let fixture: ConsortiumFixture;

function staff(libraryCode: string, kind: FixtureStaffKind): Promise<Caller> {
  return fixture.staff(libraryCode, kind);
}

beforeAll(async () => {
  fixture = await createConsortiumFixture();
  t = fixture.t;
  const admin = fixture.admin;
});
afterAll(() => t.close());

async function recordCount(): Promise<number> {
  const row = await t.connection.db.selectFrom('records').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function addRecord(body: Record<string, unknown>): Promise<number> {
  const res = await (await staff('A', 'cat')).post('/records', body);
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function addItem(recordId: number, libraryCode: string, barcode: string, extra: Record<string, unknown> = {}): Promise<void> {
  const res = await (await t.admin()).post('/items', { recordId, libraryCode, callNumber: 'F THO', barcode, ...extra });
  expect(res.status, res.text).toBe(201);
}

function marcxml(controlNumber: string, title: string): string {
  return `<record xmlns="http://www.loc.gov/MARC21/slim">
  <leader>00000nam a2200000 a 4500</leader>
  <controlfield tag="001">${controlNumber}</controlfield>
  <controlfield tag="003">OCoLC</controlfield>
  <datafield tag="020" ind1=" " ind2=" "><subfield code="a">0-8044-2957-X (pbk.)</subfield></datafield>
  <datafield tag="100" ind1="1" ind2=" "><subfield code="a">Thoreau, Henry David.</subfield></datafield>
  <datafield tag="245" ind1="1" ind2="0"><subfield code="a">${title} /</subfield><subfield code="c">Henry David Thoreau.</subfield></datafield>
  <datafield tag="264" ind1=" " ind2="1"><subfield code="b">Penguin,</subfield><subfield code="c">1988.</subfield></datafield>
  <datafield tag="650" ind1=" " ind2="0"><subfield code="a">Maine</subfield></datafield>
</record>`;
}

describe('POST /records', () => {
  it('lets a cataloger add a record, normalising its ISBNs, and records the event', async () => {
    const cataloger = await staff('A', 'cat');
    const res = await cataloger.post('/records', {
      title: ' The Maine Woods ',
      author: 'Thoreau, Henry David',
      isbn: ['978-0-306-40615-7', '0 8044 2957 x'],
      publisher: 'Penguin',
      year: 1988,
      subjects: ['Maine', 'Travel'],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      title: 'The Maine Woods',
      author: 'Thoreau, Henry David',
      isbn: ['9780306406157', '080442957X'],
      publisher: 'Penguin',
      year: 1988,
      publication: 'Penguin, 1988',
      subjects: ['Maine', 'Travel'],
      format: 'book',
    });
    const event = await t.connection.db.selectFrom('events').selectAll().where('record_id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(event.kind).toBe('record-created');
    expect(event.staff_id).not.toBeNull();
    expect(event.library_id).not.toBeNull();
  });

  it('takes one ISBN as a plain string and fills the optional fields with null and []', async () => {
    const res = await (await staff('B', 'admin')).post('/records', { title: 'Cape Cod', isbn: '0306406152' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ isbn: ['0306406152'], author: null, publisher: null, year: null, subjects: [] });
  });

  it('refuses an ISBN with a wrong check digit, changing nothing', async () => {
    const before = await recordCount();
    const res = await (await staff('A', 'cat')).post('/records', { title: 'Walden', isbn: ['9780306406157', '978-0-306-40615-8'] });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'isbn' });
    expect(res.body.error.message).toContain('check digit');
    expect(await recordCount()).toBe(before);
  });

  it.each([
    [{ author: 'Nobody' }, 'title'],
    [{ title: '   ' }, 'title'],
    [{ title: 'x', year: 'nineteen' }, 'year'],
    [{ title: 'x', colour: 'blue' }, 'body'],
    [{ title: 'x', marcxml: marcxml('ocm-both', 'Both') }, 'title'],
    [{ marcxml: 'this is not MARC' }, 'marcxml'],
    [{ title: 'x', isbn: 'not-an-isbn' }, 'isbn'],
  ])('answers 400 for %j, naming %s', async (body, field) => {
    const before = await recordCount();
    const res = await (await staff('A', 'cat')).post('/records', body);
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    if (field !== 'body') expect(res.body.error.field).toBe(field);
    expect(await recordCount()).toBe(before);
  });

  it('refuses anonymous callers (401), circulation staff and patrons (403)', async () => {
    expect((await t.anonymous.post('/records', { title: 'x' })).status).toBe(401);
    const circ = await (await staff('A', 'circ')).post('/records', { title: 'x' });
    expect(circ.status).toBe(403);
    expect(circ.body.error.code).toBe('FORBIDDEN');
    const patron = await t.login(fixturePatrons.PA1.barcode, fixturePatronPassword);
    expect((await patron.post('/records', { title: 'x' })).status).toBe(403);
  });

  it('reads a MARCXML record and refuses the same 001 + 003 again, naming the record', async () => {
    const cataloger = await staff('A', 'cat');
    const first = await cataloger.post('/records', { marcxml: marcxml('ocm7001', 'Ktaadn') });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ title: 'Ktaadn', author: 'Thoreau, Henry David', isbn: ['080442957X'], publisher: 'Penguin', year: 1988, subjects: ['Maine'] });
    const stored = await t.connection.db.selectFrom('records').selectAll().where('id', '=', first.body.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ control_number: 'ocm7001', control_source: 'OCoLC' });
    expect(stored.marc).toContain('Ktaadn');
    const before = await recordCount();
    const again = await cataloger.post('/records', { marcxml: marcxml('ocm7001', 'Ktaadn, second copy') });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'DUPLICATE', recordId: first.body.id });
    expect(again.body.error.message).toContain(String(first.body.id));
    expect(await recordCount()).toBe(before);
  });
});

describe('GET /records (search)', () => {
  it('finds words of the title, author and subjects, the last word as a prefix, best match first', async () => {
    const inTitle = await addRecord({ title: 'Quillwort meadows', author: 'Smith, Ann' });
    const inSubject = await addRecord({ title: 'Field notes', author: 'Jones, Bo', subjects: ['Quillwort'] });
    const res = await t.anonymous.get('/records?q=quillwort');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.records.map((r: { id: number }) => r.id)).toEqual([inTitle, inSubject]);
    const prefix = await t.anonymous.get('/records?q=meadows%20quillw');
    expect(prefix.body.records.map((r: { id: number }) => r.id)).toEqual([inTitle]);
    const byAuthor = await t.anonymous.get('/records?q=jones');
    expect(byAuthor.body.records.map((r: { id: number }) => r.id)).toContain(inSubject);
  });

  it('counts items and available items, of one library when asked', async () => {
    const id = await addRecord({ title: 'Sassafras almanac' });
    await addItem(id, 'A', 'rs-sas-1');
    await addItem(id, 'A', 'rs-sas-2', { circulates: true });
    await addItem(id, 'B', 'rs-sas-3');
    await t.connection.db.updateTable('items').set({ status: 'missing' }).where('barcode', '=', 'rs-sas-2').execute();
    const all = await t.anonymous.get('/records?q=sassafras');
    expect(all.body).toMatchObject({ total: 1, records: [{ id, title: 'Sassafras almanac', author: null, available: 2, total: 3, overall: { available: 2, total: 3 } }] });
    const atA = await t.anonymous.get('/records?q=sassafras&library=A');
    expect(atA.body.records[0]).toMatchObject({ available: 1, total: 2, overall: { available: 2, total: 3 } });
    const atC = await t.anonymous.get('/records?q=sassafras&library=C');
    expect(atC.body.records[0]).toMatchObject({ available: 0, total: 0, overall: { available: 2, total: 3 } });
  });

  it('finds a record by an item barcode and by its ISBN in either spelling', async () => {
    const id = await addRecord({ title: 'Tamarack bog', isbn: '9780306406157' });
    await addItem(id, 'C', 'rs-bog-77');
    expect((await t.anonymous.get('/records?q=rs-bog-77')).body.records.map((r: { id: number }) => r.id)).toEqual([id]);
    for (const isbn of ['978-0-306-40615-7', '0306406152', '0-306-40615-2']) {
      const res = await t.anonymous.get(`/records?q=${encodeURIComponent(isbn)}`);
      expect(res.body.records.map((r: { id: number }) => r.id), isbn).toContain(id);
    }
  });

  it('answers an empty result, and lists records by title when q is empty, with paging', async () => {
    expect((await t.anonymous.get('/records?q=zzyzxnothinglikeit')).body).toEqual({ total: 0, totalExact: true, records: [], facets: { formats: [], libraries: [] } });
    const ids = [await addRecord({ title: 'Aardvark paging test' }), await addRecord({ title: 'Aardvark paging alpha' })];
    const list = await t.anonymous.get('/records?limit=1000');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: await recordCount(), totalExact: true });
    // by title: 'alpha' before 'test', whatever else the catalog holds
    const listed = list.body.records.map((r: { id: number }) => r.id).filter((id: number) => ids.includes(id));
    expect(listed).toEqual([ids[1], ids[0]]);
    const page = await t.anonymous.get('/records?q=aardvark%20paging&limit=1&offset=1');
    expect(page.body.total).toBe(2);
    expect(page.body.records).toHaveLength(1);
    const past = await t.anonymous.get('/records?q=aardvark%20paging&limit=1&offset=5');
    expect(past.body).toMatchObject({ total: 2, records: [] });
  });

  it('treats search operators and quotes as plain text', async () => {
    for (const q of ["a & b | !c:*", "o'brien", '(((', ':*', '!', "'; DROP TABLE records; --", '\\']) {
      const res = await t.anonymous.get(`/records?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
  });

  it('answers 400 for an unknown library, a bad limit or an unknown parameter', async () => {
    const unknown = await t.anonymous.get('/records?q=x&library=NOPE');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('library');
    expect((await t.anonymous.get('/records?limit=0')).body.error.field).toBe('limit');
    expect((await t.anonymous.get('/records?colour=blue')).status).toBe(400);
  });
});

describe('GET /records/:id', () => {
  it('shows volumes with their items, due dates of open loans and the open hold count, to anyone', async () => {
    const id = await addRecord({ title: 'Walden pond', author: 'Thoreau' });
    await addItem(id, 'A', 'rp-wal-1', { location: 'Stacks' });
    await addItem(id, 'A', 'rp-wal-2');
    await addItem(id, 'B', 'rp-wal-3', { callNumber: '818 THO', holdable: false });
    const db = t.connection.db;
    const patron = await db.selectFrom('patrons').select('id').where('barcode', '=', fixturePatrons.PB1.barcode).executeTakeFirstOrThrow();
    const item = await db.selectFrom('items').select(['id', 'owning_library_id']).where('barcode', '=', 'rp-wal-2').executeTakeFirstOrThrow();
    await db.updateTable('items').set({ status: 'checked-out' }).where('id', '=', item.id).execute();
    await db
      .insertInto('loans')
      .values({ item_id: item.id, patron_id: patron.id, library_id: item.owning_library_id, checked_out_at: t.clock.now(), due_date: '2025-03-24' })
      .execute();
    await db
      .insertInto('holds')
      .values({ type: 'title', patron_id: patron.id, record_id: id, pickup_library_id: item.owning_library_id, status: 'waiting', requested_at: t.clock.now() })
      .execute();

    const res = await t.anonymous.get(`/records/${id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id, title: 'Walden pond', author: 'Thoreau', holdCount: 1 });
    expect(res.body.volumes).toEqual([
      {
        id: expect.any(Number),
        library: { code: 'A', name: 'Abbot Library' },
        callNumber: 'F THO',
        items: [
          { barcode: 'rp-wal-1', status: 'available', library: { code: 'A', name: 'Abbot Library' }, location: { name: 'Stacks', holdable: true }, holdable: true, circulates: true, dueDate: null },
          { barcode: 'rp-wal-2', status: 'checked-out', library: { code: 'A', name: 'Abbot Library' }, location: null, holdable: true, circulates: true, dueDate: '2025-03-24' },
        ],
      },
      {
        id: expect.any(Number),
        library: { code: 'B', name: 'Bangor Library' },
        callNumber: '818 THO',
        items: [{ barcode: 'rp-wal-3', status: 'available', library: { code: 'B', name: 'Bangor Library' }, location: null, holdable: false, circulates: true, dueDate: null }],
      },
    ]);
  });

  it('shows a record with no items, 404s an unknown id and 400s a non-numeric one', async () => {
    const id = await addRecord({ title: 'Bare record' });
    expect((await t.anonymous.get(`/records/${id}`)).body).toMatchObject({ id, volumes: [], holdCount: 0 });
    const missing = await t.anonymous.get('/records/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const bad = await t.anonymous.get('/records/abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('id');
  });
});
