import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveSharedData, sharedData, sharedDataDir } from '../support/shared-data';
import { createTestApp, type Caller, type TestApp } from '../support/test-app';
import { acoFile, acoRecords, acoSubsetSize, count, createSampleLibraries, fullImports, importFile, jazzFile, kohaFile, kohaXmlFile } from './sample-catalogs';

// Every MARC file of ../shared/data goes through POST /records/import: the real catalogs with
// their record and item counts, the other sets without an error (except records that are not
// bibliographic), and every edge case either imported or refused record by record — never a
// crash, a 500 or a hang.

const present = haveSharedData('the real-file import tests', kohaFile, jazzFile, acoFile);

function marcFiles(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return marcFiles(path, pattern);
    return pattern.test(name) ? [path] : [];
  });
}

// Records that are deliberately not titles of a catalog: authority and holdings (MFHD) records.
const notBibliographic: Record<string, RegExp> = {
  'evergreen-marc-testsets/original/auth-1066.mrc': /authority record/u,
  'evergreen-marc-testsets/original/auth-subset100.mrc': /authority record/u,
  'evergreen-marc-testsets/original/serials_mfhd.xml': /holdings record/u,
};

describe.skipIf(!present)('the real catalogs of ../shared/data', () => {
  let t: TestApp;
  let admin: Caller;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.admin();
    await createSampleLibraries(admin);
  });
  afterAll(() => t?.close());

  it('Koha sample: 436 records and their 961 items (952) at CPL, MPL and FPL', async () => {
    const res = await importFile(admin, readFileSync(kohaFile), '?items=koha');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ records: 436, imported: 436, updated: 0, items: 961, errorCount: 0, errors: [] });
    expect(await count(t, 'records')).toBe(436);
    expect(await count(t, 'items')).toBe(961);
    const owners = await t.connection.db
      .selectFrom('items')
      .innerJoin('libraries', 'libraries.id', 'items.owning_library_id')
      .select(['libraries.code', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('libraries.code')
      .orderBy('libraries.code')
      .execute();
    expect(owners.map((o) => [o.code, Number(o.n)])).toEqual([
      ['CPL', 321],
      ['FPL', 315],
      ['MPL', 325],
    ]);
    expect(await count(t, 'events', `kind = 'item-created'`)).toBe(961);
    expect(await count(t, 'events', `kind = 'record-created'`)).toBe(436);
  });

  it('the same Koha records as MARCXML are recognised, not added again', async () => {
    const res = await importFile(admin, readFileSync(kohaXmlFile), '?items=koha', 'application/marcxml+xml');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ records: 436, imported: 0, items: 0, errorCount: 0 });
    expect(res.body.updated + res.body.unchanged).toBe(436);
    expect(await count(t, 'records')).toBe(436);
  });

  it('Evergreen jazz_1k, in MARC-8: 1,000 records and their 1,238 items (949)', async () => {
    const res = await importFile(admin, readFileSync(jazzFile), '?items=evergreen');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ records: 1000, imported: 1000, items: 1238, errorCount: 0 });
    const koln = await t.connection.db.selectFrom('records').select(['title', 'author']).where('title', 'like', 'The K%ln concert').executeTakeFirstOrThrow();
    expect(koln).toEqual({ title: 'The Köln concert', author: 'Jarrett, Keith' });
    expect(await count(t, 'items', `owning_library_id = (SELECT id FROM libraries WHERE code = 'HUNTINGTON')`)).toBeGreaterThan(1000);
  }, 120_000);

  it(`ACO (Arabic Collections Online): ${fullImports() ? 'all 13,697' : `the first ${acoSubsetSize}`} records`, async () => {
    const expected = fullImports() ? 13_697 : acoSubsetSize;
    const before = await count(t, 'records');
    const res = await importFile(admin, acoRecords(fullImports() ? undefined : acoSubsetSize));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ records: expected, imported: expected, errorCount: 0 });
    expect(res.body.ignoredItemFields['852']).toBeGreaterThan(0);
    expect(await count(t, 'records')).toBe(before + expected);
    // the Arabic script of the 880 fields is kept with the record, for search
    expect(await count(t, 'records', `control_source IN ('LeBAU', 'NjP') AND array_to_string(alt_titles, ' ') ~ '[ء-ي]'`)).toBeGreaterThan(50);
  }, 600_000);

  const others = marcFiles(sharedDataDir, /\.(mrc|marc|marcxml|xml|mrc\.gz)$/u)
    .map((f) => relative(sharedDataDir, f))
    .filter((f) => !f.startsWith('marc-edge-cases/') && !f.startsWith('iso18626/') && !f.startsWith('ncip/'))
    .filter((f) => ![kohaFile, kohaXmlFile, jazzFile, acoFile].map((p) => relative(sharedDataDir, p)).includes(f));

  it.each(others)('%s imports without errors', async (file) => {
    const res = await importFile(admin, readFileSync(join(sharedDataDir, file)));
    expect(res.status, res.text).toBe(200);
    const refused = notBibliographic[file];
    if (refused) {
      expect(res.body.imported).toBe(0);
      expect(res.body.errorCount).toBe(res.body.records);
      for (const e of res.body.errors) expect(e.message).toMatch(refused);
    } else {
      expect(res.body.errors).toEqual([]);
      expect(res.body.imported + res.body.updated + res.body.unchanged).toBe(res.body.records);
    }
  }, 120_000);
});

const edgeCases = sharedData('marc-edge-cases');
const edgePresent = haveSharedData('the MARC edge-case import tests', edgeCases);

describe.skipIf(!edgePresent)('marc-edge-cases: each file is imported, or refused record by record', () => {
  let t: TestApp;
  let admin: Caller;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.admin();
    await admin.post('/libraries', { code: 'EDGE', name: 'Edge cases' });
  });
  afterAll(() => t?.close());

  it.each(edgePresent ? marcFiles(edgeCases, /\.(mrc|marc|dat|xml|mrk|json)$/u).map((f) => relative(edgeCases, f)) : [])('%s', async (file) => {
    const res = await importFile(admin, readFileSync(join(edgeCases, file)), '?items=koha&library=EDGE');
    if (res.status === 400) {
      // not MARC at all (MARC-in-JSON, MarcEdit text): refused as a whole, saying why
      expect(res.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'file' });
      expect(/\.(json|mrk)$/u.test(file), `${file}: ${res.body.error.message}`).toBe(true);
      return;
    }
    expect(res.status, res.text).toBe(200);
    const { records, imported, updated, unchanged, errorCount, errors } = res.body;
    expect(records).toBeGreaterThan(0);
    // every record of the file is accounted for: stored, or listed with its number and reason
    const recordErrors = new Set(errors.filter((e: { item?: number }) => e.item === undefined).map((e: { record: number }) => e.record));
    expect(imported + updated + unchanged + recordErrors.size).toBe(records);
    expect(errorCount).toBeGreaterThanOrEqual(recordErrors.size);
    for (const e of errors) expect(e.message.length).toBeGreaterThan(10);
  }, 60_000);
});
