import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefoldForSearch } from '../../src/domain/catalog/search-text';
import { isbnForms } from '../../src/domain/isbn';
import { filteredCountLimit } from '../../src/services/record-search';
import { haveSharedData } from '../support/shared-data';
import { createTestApp, type TestApp } from '../support/test-app';
import { acoFile, acoRecords, createSampleLibraries, importFile, jazzFile, kohaFile, marcFile, testRecord } from './sample-catalogs';

// GET /records?q= on real records — the Koha sample with its items at CPL, MPL and FPL, the
// Evergreen jazz set (MARC-8) and the first ACO records (romanised Arabic with the Arabic script
// in 880) — plus a few of our own for diacritics both ways. Every search here is anonymous.

const present = haveSharedData('the catalog search tests', kohaFile, jazzFile, acoFile);

type Hit = { id: number; title: string; author: string | null; format: string; available: number; total: number; overall: { available: number; total: number } };

let t: TestApp;
const search = async (query: string) => {
  const res = await t.anonymous.get(`/records?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { total: number; totalExact: boolean; records: Hit[]; facets: { formats: { format: string; records: number }[]; libraries: { code: string; records: number; available: number }[] } };
};
const ids = async (query: string) => (await search(query)).records.map((r) => r.id);
const recordId = async (where: string) => (await sql<{ id: number }>`SELECT id FROM records WHERE ${sql.raw(where)} ORDER BY id LIMIT 1`.execute(t.connection.db)).rows[0].id;

describe.skipIf(!present)('catalog search on real records', () => {
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.admin();
    await createSampleLibraries(admin);
    for (const [file, query] of [
      [readFileSync(kohaFile), '?items=koha'],
      [readFileSync(jazzFile), '?items=evergreen'],
      [acoRecords(600), ''],
      [
        marcFile(
          testRecord({ id: 'se-1', source: 'TEST', title: 'Slavonic dances /', author: 'Dvořák, Antonín,', subject: 'Dances', items: [{ library: 'CPL', barcode: 'se-dv-1' }] }),
          testRecord({ id: 'se-2', source: 'TEST', title: 'The Dvorak keyboard :', author: 'Smith, Jo.', items: [{ library: 'MPL', barcode: 'se-dv-2' }] }),
          testRecord({ id: 'se-3', source: 'TEST', title: 'Quarterly of nothing', extra: [{ tag: '022', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '0028-0836' }] }] }),
        ),
        '?items=koha',
      ],
    ] as const) {
      const res = await importFile(admin, file, query);
      expect(res.status, res.text).toBe(200);
      expect(res.body.errorCount).toBe(0);
    }
  }, 300_000);
  afterAll(() => t?.close());

  it('finds a title by its words, the best match first, and by the start of its last word', async () => {
    const shuffle = await recordId(`title LIKE 'E Street shuffle%'`);
    expect((await ids('q=E%20Street%20shuffle'))[0]).toBe(shuffle);
    expect(await ids('q=street%20shuff')).toContain(shuffle);
  });

  it('forgives typos in a title and in a name', async () => {
    const shuffle = await recordId(`title LIKE 'E Street shuffle%'`);
    expect(await ids('q=E%20Stret%20shufle')).toContain(shuffle);
    const koln = await recordId(`title = 'The Köln concert'`);
    expect(await ids('q=Jarret&by=author')).toContain(koln);
    expect(await ids('q=kolm%20concert&by=title')).toContain(koln);
  });

  it('searches one part of the record when asked: title, author or subject', async () => {
    const koln = await recordId(`title = 'The Köln concert'`);
    expect(await ids('q=jarrett&by=author')).toContain(koln);
    expect(await ids('q=jarrett&by=title')).not.toContain(koln);
    const dances = await recordId(`control_number = 'se-1'`);
    expect(await ids('q=dances&by=subject')).toContain(dances);
    expect(await ids('q=antonin&by=subject')).not.toContain(dances);
  });

  it('ignores accents and case both ways (Dvořák, dvorak; Köln, koln)', async () => {
    const both = [await recordId(`control_number = 'se-1'`), await recordId(`control_number = 'se-2'`)];
    const plain = (await ids('q=dvorak')).sort();
    expect(plain).toEqual(expect.arrayContaining(both));
    for (const q of ['Dvořák', 'DVORAK', 'dvořak']) expect((await ids(`q=${encodeURIComponent(q)}`)).sort(), q).toEqual(plain);
    const koln = await recordId(`title = 'The Köln concert'`);
    for (const q of ['koln concert', 'KÖLN', 'Köln']) expect(await ids(`q=${encodeURIComponent(q)}`), q).toContain(koln);
  });

  it('finds ACO records by their Arabic script, with or without hamza and vowel marks, and by their romanisation', async () => {
    const { rows } = await sql<{ id: number; alt: string; title: string }>`
      SELECT id, title, alt_titles[1] AS alt FROM records WHERE alt_titles[1] ~ '[أإآ]' ORDER BY id LIMIT 1`.execute(t.connection.db);
    expect(rows).toHaveLength(1);
    const { id, alt, title } = rows[0];
    const words = alt.split(/\s+/u).filter((w) => /\p{L}{3,}/u.test(w)).slice(0, 2).join(' ');
    expect(await ids(`q=${encodeURIComponent(words)}`)).toContain(id);
    const plainAlef = words.replace(/[أإآ]/gu, 'ا');
    expect(await ids(`q=${encodeURIComponent(plainAlef)}`)).toContain(id);
    const voweled = [...plainAlef].map((c, i) => (i === 1 ? `${c}\u064E` : c)).join('');
    expect(await ids(`q=${encodeURIComponent(voweled)}`)).toContain(id);
    const romanised = title.split(/\s+/u).slice(0, 2).join(' ');
    expect(await ids(`q=${encodeURIComponent(romanised)}&limit=1000`), romanised).toContain(id);
  });

  it('finds a record by its ISBN in either form, with or without hyphens, and by ISSN', async () => {
    const shuffle = await recordId(`title LIKE 'E Street shuffle%'`);
    const [isbn13, isbn10] = isbnForms('9780670026623');
    for (const q of [isbn13, isbn10, '978-0-670-02662-3', `${isbn10.slice(0, 1)}-${isbn10.slice(1, 4)}-${isbn10.slice(4, 9)}-${isbn10.slice(9)}`]) {
      expect((await ids(`q=${encodeURIComponent(q)}&by=isbn`))[0], q).toBe(shuffle);
      expect((await ids(`q=${encodeURIComponent(q)}`))[0], q).toBe(shuffle);
    }
    const quarterly = await recordId(`control_number = 'se-3'`);
    expect(await ids('q=0028-0836')).toEqual([quarterly]);
    expect(await ids('q=00280836&by=isbn')).toEqual([quarterly]);
  });

  it('finds a record by an item barcode, exactly', async () => {
    const item = await t.connection.db.selectFrom('items').select(['barcode', 'record_id']).where('barcode', '=', '3999900000001').executeTakeFirstOrThrow();
    expect(await ids('q=3999900000001')).toEqual([item.record_id]);
    expect(await ids('q=3999900000001&by=barcode')).toEqual([item.record_id]);
    expect(await ids('q=399990000000&by=barcode')).toEqual([]);
  });

  it('counts copies and copies on the shelf, everywhere and at one library', async () => {
    const dances = await recordId(`control_number = 'se-1'`);
    await t.connection.db.updateTable('items').set({ status: 'checked-out' }).where('barcode', '=', 'se-dv-1').execute();
    const all = (await search('q=slavonic%20dances')).records.find((r) => r.id === dances)!;
    expect(all).toMatchObject({ available: 0, total: 1, overall: { available: 0, total: 1 } });
    const atMpl = (await search('q=slavonic%20dances&library=MPL')).records.find((r) => r.id === dances)!;
    expect(atMpl).toMatchObject({ available: 0, total: 0, overall: { total: 1 } });
    const dvorak = await recordId(`control_number = 'se-2'`);
    expect(await ids('q=dvorak&available=true')).toContain(dvorak);
    expect(await ids('q=dvorak&available=true')).not.toContain(dances);
    expect(await ids('q=dvorak&available=true&library=CPL')).not.toContain(dvorak);
    expect(await ids('q=dvorak&available=false')).toContain(dances);
    await t.connection.db.updateTable('items').set({ status: 'available' }).where('barcode', '=', 'se-dv-1').execute();
  });

  it('gives facets by format and by library, and filters by format', async () => {
    const jazz = await search('q=jazz&limit=5');
    expect(jazz.total).toBeGreaterThan(20);
    const formats = Object.fromEntries(jazz.facets.formats.map((f) => [f.format, f.records]));
    expect(Object.values(formats).reduce((a, b) => a + b, 0)).toBe(jazz.total);
    const huntington = jazz.facets.libraries.find((l) => l.code === 'HUNTINGTON')!;
    expect(huntington.records).toBeGreaterThan(5);
    expect(huntington.available).toBeLessThanOrEqual(huntington.records);
    const [top] = jazz.facets.formats;
    const only = await search(`q=jazz&format=${encodeURIComponent(top.format)}`);
    // a filtered search counts fewer matches than the facets were counted among
    expect(only.total).toBe(Math.min(top.records, filteredCountLimit));
    expect(only.totalExact).toBe(jazz.totalExact && top.records < filteredCountLimit);
    expect(only.records.every((r) => r.format === top.format)).toBe(true);
  });

  it('pages through the ranked results without repeats', async () => {
    const all = await search('q=jazz&limit=1000');
    const pages = [];
    for (let offset = 0; offset < Math.min(all.total, 30); offset += 10) pages.push(...(await ids(`q=jazz&limit=10&offset=${offset}`)));
    expect(pages).toEqual(all.records.slice(0, pages.length).map((r) => r.id));
    expect(new Set(pages).size).toBe(pages.length);
    expect((await search(`q=jazz&offset=${all.total}`)).records).toEqual([]);
  });

  it('folds the query as the catalog folded its words (catalog_prefold and its TypeScript twin agree)', async () => {
    const samples = ["Maʻārif", "O'Brien", 'O’Neill', 'الأَيّام', 'إسلام آباد', 'مكتبة', 'ـكتابـ', 'علىٰ', 'שָׁלוֹם', 'Dvořák', 'Ṭaha Ḥusayn'];
    for (const s of samples) {
      const { rows } = await sql<{ folded: string }>`SELECT catalog_prefold(${s}) AS folded`.execute(t.connection.db);
      expect(rows[0].folded, s).toBe(prefoldForSearch(s));
    }
  });
});
