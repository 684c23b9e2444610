import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumFixture, fixturePatronPassword, fixturePatrons, type ConsortiumFixture } from '../support/fixture';
import type { TestApp } from '../support/test-app';
import { count, importFile, marcFile, testRecord } from './sample-catalogs';

// POST /records/import on records of our own making: who may import, what the body may be,
// items and their owning library, re-imports that update instead of adding, and a bad record
// that is reported and skipped without stopping the file.

let fixture: ConsortiumFixture;
let t: TestApp;

beforeAll(async () => {
  fixture = await createConsortiumFixture();
  t = fixture.t;
});
afterAll(() => t?.close());

const walden = (extra: Partial<Parameters<typeof testRecord>[0]> = {}) =>
  testRecord({ id: 'ia-1', source: 'TEST', title: 'Walden /', author: 'Thoreau, Henry David.', isbn: '0-8044-2957-X', items: [{ library: 'A', barcode: 'ia-1-a', callNumber: '818 THO' }], ...extra });

describe('who may import', () => {
  it('refuses anonymous callers, circulation staff and patrons', async () => {
    expect((await importFile(t.anonymous, walden())).status).toBe(401);
    expect((await importFile(await fixture.staff('A', 'circ'), walden())).body.error.code).toBe('FORBIDDEN');
    const patron = await t.login(fixturePatrons.PA1.barcode, fixturePatronPassword);
    expect((await importFile(patron, walden())).status).toBe(403);
    expect(await count(t, 'records', `control_number = 'ia-1'`)).toBe(0);
  });

  it("lets a cataloger import, adding items of their own library only", async () => {
    const file = marcFile(
      testRecord({ id: 'ia-own', source: 'TEST', title: 'Own and other', items: [{ library: 'A', barcode: 'ia-own-a' }, { library: 'B', barcode: 'ia-own-b' }] }),
    );
    const res = await importFile(await fixture.staff('A', 'cat'), file, '?items=koha');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ imported: 1, items: 1, errorCount: 1 });
    expect(res.body.errors[0]).toMatchObject({ record: 1, item: 2, barcode: 'ia-own-b' });
    expect(res.body.errors[0].message).toMatch(/belongs to B.*A only/u);
    // a default library elsewhere is refused as a whole
    const other = await importFile(await fixture.staff('A', 'cat'), file, '?items=koha&library=B');
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('NOT_OWN_LIBRARY');
  });
});

describe('what the body may be', () => {
  it('takes ISO 2709, MARCXML and gzipped files whatever the content type says', async () => {
    const admin = await t.admin();
    const xml = `<?xml version="1.0"?><marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim"><marc:record>
      <marc:leader>00000nam a2200000 a 4500</marc:leader><marc:controlfield tag="001">ia-xml</marc:controlfield>
      <marc:controlfield tag="003">TEST</marc:controlfield>
      <marc:datafield tag="245" ind1="1" ind2="0"><marc:subfield code="a">Cape Cod &amp; the Islands</marc:subfield></marc:datafield>
      </marc:record></marc:collection>`;
    const asXml = await importFile(admin, Buffer.from(xml), '', 'application/marcxml+xml');
    expect(asXml.body).toMatchObject({ records: 1, imported: 1 });
    const gz = await importFile(admin, gzipSync(testRecord({ id: 'ia-gz', source: 'TEST', title: 'Gzipped' })), '', 'application/octet-stream');
    expect(gz.body).toMatchObject({ records: 1, imported: 1 });
    const record = await t.connection.db.selectFrom('records').select('title').where('control_number', '=', 'ia-xml').executeTakeFirstOrThrow();
    expect(record.title).toBe('Cape Cod & the Islands');
  });

  it.each([
    ['a JSON body', { title: 'x' }, 'application/json', 'body'],
    ['MARC-in-JSON', Buffer.from('[{"leader": "x"}]'), 'application/marc', 'file'],
    ['an empty file', Buffer.alloc(0), 'application/marc', undefined],
  ])('answers 400 for %s', async (_name, payload, type, field) => {
    const res = await (await t.admin()).request({ method: 'POST', url: '/api/v1/records/import', payload: payload as never, headers: { 'content-type': type } });
    expect(res.status, res.text).toBe(400);
    expect(res.body.error.code).toBe('INVALID_INPUT');
    if (field) expect(res.body.error.field).toBe(field);
  });

  it('answers 400 for an unknown item profile or library', async () => {
    expect((await importFile(await t.admin(), walden(), '?items=marc21')).body.error.field).toBe('items');
    expect((await importFile(await t.admin(), walden(), '?library=NOPE')).body.error.field).toBe('library');
    expect((await importFile(await t.admin(), walden(), '?library=S')).body.error.message).toMatch(/system/u);
  });
});

describe('items and their owning library', () => {
  it('takes the library from the field, else from ?library=, and reports items with neither', async () => {
    const admin = await t.admin();
    const file = marcFile(
      testRecord({ id: 'ia-lib', source: 'TEST', title: 'Libraries', items: [{ library: 'B', barcode: 'ia-lib-b', location: 'Stacks' }, { library: 'ZZZ', barcode: 'ia-lib-z' }, { barcode: 'ia-lib-none' }, { library: 'A' }] }),
    );
    const without = await importFile(admin, file, '?items=koha');
    expect(without.body).toMatchObject({ imported: 1, items: 1, errorCount: 3 });
    expect(without.body.errors.map((e: { barcode?: string; message: string }) => [e.barcode ?? null, e.message])).toEqual([
      ['ia-lib-z', expect.stringMatching(/"ZZZ" \(952\) is not a library/u)],
      ['ia-lib-none', expect.stringMatching(/names no library/u)],
      [null, expect.stringMatching(/no barcode/u)],
    ]);
    const again = await importFile(admin, file, '?items=koha&library=C');
    expect(again.body).toMatchObject({ imported: 0, unchanged: 1, items: 2, errorCount: 1 });
    const items = await t.connection.db
      .selectFrom('items')
      .innerJoin('libraries', 'libraries.id', 'items.owning_library_id')
      .leftJoin('shelving_locations', 'shelving_locations.id', 'items.location_id')
      .select(['items.barcode', 'libraries.code', 'shelving_locations.name as location'])
      .where('items.barcode', 'like', 'ia-lib-%')
      .orderBy('items.barcode')
      .execute();
    expect(items).toEqual([
      { barcode: 'ia-lib-b', code: 'B', location: 'Stacks' },
      { barcode: 'ia-lib-none', code: 'C', location: null },
      { barcode: 'ia-lib-z', code: 'C', location: null },
    ]);
  });
});

describe('re-importing', () => {
  it('updates the record it made, adds new items and never repeats a barcode', async () => {
    const admin = await t.admin();
    const first = await importFile(admin, walden(), '?items=koha');
    expect(first.body).toMatchObject({ imported: 1, items: 1 });
    const id = (await t.connection.db.selectFrom('records').select('id').where('control_number', '=', 'ia-1').executeTakeFirstOrThrow()).id;
    const same = await importFile(admin, walden(), '?items=koha');
    expect(same.body).toMatchObject({ imported: 0, updated: 0, unchanged: 1, items: 0, errorCount: 0 });
    const changed = walden({ title: 'Walden, or Life in the woods /', items: [{ library: 'A', barcode: 'ia-1-a' }, { library: 'B', barcode: 'ia-1-b' }] });
    const update = await importFile(admin, changed, '?items=koha');
    expect(update.body).toMatchObject({ imported: 0, updated: 1, items: 1, errorCount: 0 });
    const record = await t.connection.db.selectFrom('records').select(['title', 'isbn']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(record).toEqual({ title: 'Walden, or Life in the woods', isbn: ['080442957X'] });
    expect(await count(t, 'records', `control_number = 'ia-1'`)).toBe(1);
    expect(await count(t, 'items', `record_id = ${id}`)).toBe(2);
    expect(await count(t, 'events', `record_id = ${id} AND kind = 'record-updated'`)).toBe(1);
    // the search sees the new title at once
    const found = await t.anonymous.get('/records?q=life%20in%20the%20woods');
    expect(found.body.records.map((r: { id: number }) => r.id)).toContain(id);
    // a barcode already on another record's item is reported, not moved
    const thief = testRecord({ id: 'ia-2', source: 'TEST', title: 'Another book', items: [{ library: 'A', barcode: 'ia-1-b' }] });
    const stolen = await importFile(admin, thief, '?items=koha');
    expect(stolen.body).toMatchObject({ imported: 1, items: 0, errorCount: 1 });
    expect(stolen.body.errors[0].message).toMatch(new RegExp(`already on an item of record ${id}`, 'u'));
  });

  it('recognises a record by its 035 when it has no 003, and a record with no number by its MARC', async () => {
    const admin = await t.admin();
    const oclc = (title: string) => testRecord({ title, extra: [{ tag: '035', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '(OCoLC)ocm00012345' }] }] });
    expect((await importFile(admin, oclc('By number'))).body).toMatchObject({ imported: 1 });
    expect((await importFile(admin, oclc('By number, corrected'))).body).toMatchObject({ imported: 0, updated: 1 });
    const bare = testRecord({ title: 'No number at all' });
    expect((await importFile(admin, bare)).body).toMatchObject({ imported: 1 });
    expect((await importFile(admin, bare)).body).toMatchObject({ imported: 0, unchanged: 1 });
    expect(await count(t, 'records', `title LIKE 'By number%' OR title = 'No number at all'`)).toBe(2);
  });

  it('takes a record repeated in one file as an update of the first', async () => {
    const file = marcFile(testRecord({ id: 'ia-rep', source: 'TEST', title: 'First spelling' }), testRecord({ id: 'ia-rep', source: 'TEST', title: 'Second spelling' }));
    const res = await importFile(await t.admin(), file);
    expect(res.body).toMatchObject({ records: 2, imported: 1, updated: 1, errorCount: 0 });
    expect((await t.connection.db.selectFrom('records').select('title').where('control_number', '=', 'ia-rep').execute()).map((r) => r.title)).toEqual(['Second spelling']);
  });
});

describe('a bad record', () => {
  it('is reported with its number and reason and skipped; the rest of the file goes in', async () => {
    const garbage = Buffer.from('00042nam a2200025 a 4500garbage-without-a-directory\u001e\u001d');
    const noTitle = testRecord({ id: 'ia-bad-2', source: 'TEST', title: '' });
    const file = marcFile(testRecord({ id: 'ia-ok-1', source: 'TEST', title: 'Before' }), garbage, noTitle, testRecord({ id: 'ia-ok-2', source: 'TEST', title: 'After' }));
    const res = await importFile(await t.admin(), file);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ records: 4, imported: 2, errorCount: 2 });
    expect(res.body.errors.map((e: { record: number }) => e.record)).toEqual([2, 3]);
    expect(res.body.errors[0].message).toMatch(/directory/u);
    expect(res.body.errors[1].message).toMatch(/no title/u);
    expect(await count(t, 'records', `control_number IN ('ia-ok-1', 'ia-ok-2')`)).toBe(2);
    expect(await count(t, 'events', `kind = 'records-imported'`)).toBeGreaterThan(0);
  });
});
