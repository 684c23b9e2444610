import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous } from '../../src/domain/actor';
import { searchRecords, type RecordSearchQuery, type RecordSearchResult } from '../../src/services/record-search';
import { wordTiers } from '../../src/services/record-search-tiers';
import { createTestApp, type TestApp } from '../support/test-app';

// How the catalog search stays cheap on a word most records have: it counts, ranks and gives
// facets for so many matches only, taken title first, and says when it stopped counting; close
// spellings come from the catalog's own words. Run through the service with small count limits,
// on a catalog of our own making.

let t: TestApp;
const ids: Record<string, number[]> = {};

async function addRecords(key: string, rows: { title: string; notes?: string }[]): Promise<void> {
  const { rows: added } = await sql<{ id: number }>`
    INSERT INTO records (title, notes) SELECT title, notes FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v(title text, notes text)
    RETURNING id`.execute(t.connection.db);
  ids[key] = added.map((r) => r.id);
}

async function search(query: Omit<RecordSearchQuery, 'limit' | 'offset'> & Partial<RecordSearchQuery>, countLimit?: number): Promise<RecordSearchResult> {
  const result = await searchRecords({ db: t.connection.db, clock: t.clock, actor: anonymous }, { limit: 20, offset: 0, ...query }, { countLimit });
  if (!result.ok) throw new Error(result.refusal.message);
  return result.value;
}

const idsOf = (result: RecordSearchResult) => result.records.map((r) => r.id);

beforeAll(async () => {
  t = await createTestApp();
  // the notes first, so that the index order reads them before the titles
  await addRecords('inNotes', Array.from({ length: 30 }, (_, i) => ({ title: `Field journal ${i + 1}`, notes: 'Written at the fenward marsh station.' })));
  await addRecords('inTitle', [{ title: 'Fenward marsh birds' }, { title: 'The fenward marsh in winter' }, { title: 'Fenward marsh' }]);
  await addRecords('orchids', [{ title: 'Quaking bog orchids' }]);
  const admin = await t.admin();
  expect((await admin.post('/libraries', { code: 'FEN', name: 'Fenward Library' })).status).toBe(201);
  for (const [i, recordId] of [...ids.inTitle, ids.inNotes[0]].entries()) {
    const res = await admin.post('/items', { recordId, libraryCode: 'FEN', callNumber: 'QL 1', barcode: `sl-${i}` });
    expect(res.status, res.text).toBe(201);
  }
}, 120_000);
afterAll(() => t?.close());

describe('counting at most so many matches', () => {
  it('counts every match below the limit, and says the count is whole', async () => {
    const all = await search({ q: 'fenward' }, 100);
    expect(all).toMatchObject({ total: 33, totalExact: true });
    expect(all.facets.formats.reduce((n, f) => n + f.records, 0)).toBe(33);
  });

  it('stops at the limit and says so, with the title matches counted first and ranked first', async () => {
    const some = await search({ q: 'fenward', limit: 5 }, 10);
    expect(some).toMatchObject({ total: 10, totalExact: false });
    expect(idsOf(some).slice(0, 3).sort()).toEqual([...ids.inTitle].sort());
    expect(some.facets.formats.reduce((n, f) => n + f.records, 0)).toBe(10);
    expect(some.facets.libraries).toEqual([{ code: 'FEN', name: 'Fenward Library', records: 4, available: 4 }]);
  });

  it('pages through the counted matches in one order, and counts further when a page lies beyond', async () => {
    const ten = idsOf(await search({ q: 'fenward', limit: 10 }, 10));
    const pages = [...idsOf(await search({ q: 'fenward', limit: 5 }, 10)), ...idsOf(await search({ q: 'fenward', limit: 5, offset: 5 }, 10))];
    expect(pages).toEqual(ten);
    const further = await search({ q: 'fenward', limit: 5, offset: 10 }, 10);
    expect(further).toMatchObject({ total: 15, totalExact: false });
    expect(further.records).toHaveLength(5);
  });

  it('counts filtered matches the same way', async () => {
    expect(await search({ q: 'fenward', library: 'FEN', available: true, limit: 1 }, 2)).toMatchObject({ total: 2, totalExact: false });
    const all = await search({ q: 'fenward', library: 'FEN', available: true }, 10);
    expect(all).toMatchObject({ total: 4, totalExact: true });
    expect(idsOf(all).sort()).toEqual([...ids.inTitle, ids.inNotes[0]].sort());
  });

  it('caps the plain list by title the same way', async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM records`.execute(t.connection.db);
    expect(await search({ limit: 2 }, 5)).toMatchObject({ total: 5, totalExact: false });
    expect(await search({}, 1000)).toMatchObject({ total: rows[0].n, totalExact: true });
  });
});

describe('reading the last word as the start of a longer one', () => {
  it('does so from three letters on', async () => {
    expect(idsOf(await search({ q: 'quaking orc' }))).toEqual(ids.orchids);
    expect((await search({ q: 'quaking or' })).total).toBe(0);
  });
});

describe('close spellings', () => {
  it('finds a record by close spellings of its words, from the catalog’s own words, new ones too', async () => {
    for (const q of ['quakng orchids', 'quaking orchds', 'quakin orchid']) expect(idsOf(await search({ q })), q).toEqual(ids.orchids);
    await addRecords('gentians', [{ title: 'Fringed gentians of the barrens' }]);
    expect(idsOf(await search({ q: 'fringed gentans' }))).toEqual(ids.gentians);
  });

  it('looks for none when the words find enough, nor for numbers', async () => {
    expect((await search({ q: 'fenward marsh' })).total).toBe(33);
    expect((await search({ q: 'fenward 12345' })).total).toBe(0);
  });
});

describe('where a search looks for its words, best place first', () => {
  it.each([
    ['keyword', false, ['a exact', '* exact', 'a typed', '* typed']],
    ['keyword', true, ['* exact', '* typed']],
    ['title', false, ['a exact', 'a typed']],
    ['title', true, ['a exact', 'a typed']],
    ['author', false, ['b exact', 'b typed']],
    ['subject', true, ['c exact', 'c typed']],
    ['isbn', false, []],
    ['barcode', false, []],
  ] as const)('%s, filtered %s: %j', (by, filtered, expected) => {
    expect(wordTiers(by, filtered).map((tier) => `${tier.weights ?? '*'} ${tier.words}`)).toEqual(expected);
  });
});
