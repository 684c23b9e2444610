import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsortiumFixture, type ConsortiumFixture } from '../support/fixture';
import type { Caller } from '../support/test-app';

// The pull list a page at a time: a list longer than one page, read in pages of the default size
// and of other sizes, must come out whole and in shelf order; the CSV is the whole list unless a
// page is asked for. The lines are written straight into the database (a targeted hold per title),
// for placing hundreds of holds through the API would only slow the test down.
let f: ConsortiumFixture;
let staff: Caller;

interface Line {
  hold: { id: number };
  item: { barcode: string; callNumber: string; location: string | null };
}

/** The lines in shelf order, worked out here: location (none last), call number, barcode. */
let shelfOrder: number[] = [];
const lines = 250;

beforeAll(async () => {
  f = await createConsortiumFixture();
  staff = await f.staff('A', 'circ');
  const db = f.t.connection.db;
  // Locations, call numbers and barcodes all repeat or interleave out of insertion order, so only
  // a real sort gives the order; fixed-width digits and plain words sort alike in every collation.
  const { rows } = await sql<{ hold_id: number; location: string | null; call_number: string; barcode: string }>`
    WITH lib AS (SELECT (SELECT id FROM libraries WHERE code = 'A') AS a, (SELECT id FROM libraries WHERE code = 'B') AS b),
    locs AS (
      INSERT INTO shelving_locations (library_id, name) SELECT a, n FROM lib, unnest(ARRAY['Adult', 'Children']) n RETURNING id, name),
    n AS (SELECT g FROM generate_series(1, ${lines + 3}) g),
    recs AS (
      INSERT INTO records (title, author) SELECT 'Pull title ' || g, 'Author ' || g FROM n RETURNING id, substr(title, 12)::int AS g),
    vols AS (
      INSERT INTO volumes (record_id, library_id, call_number)
      SELECT recs.id, lib.a, to_char(800 + g % 9, 'FM000') || '.' || to_char(g % 4, 'FM00') FROM recs, lib RETURNING id, record_id, call_number),
    its AS (
      INSERT INTO items (barcode, volume_id, record_id, owning_library_id, current_library_id, location_id, status, cataloged_at)
      SELECT '39' || to_char((g * 7919) % 1000, 'FM000000'), vols.id, recs.id,
        -- every tenth copy belongs to B but sits on A's shelf; the last three are at B
        CASE WHEN g % 10 = 0 OR g > ${lines} THEN lib.b ELSE lib.a END, CASE WHEN g > ${lines} THEN lib.b ELSE lib.a END,
        (SELECT id FROM locs WHERE name = CASE g % 3 WHEN 0 THEN 'Adult' WHEN 1 THEN 'Children' END),
        'available', date '2024-01-01'
      FROM recs JOIN vols ON vols.record_id = recs.id, lib RETURNING id, record_id, barcode, location_id, volume_id, current_library_id),
    hs AS (
      INSERT INTO holds (type, patron_id, record_id, pickup_library_id, status, requested_at, target_item_id, targeted_at)
      SELECT 'title', (SELECT id FROM patrons WHERE barcode = '21000001'), its.record_id, lib.a, 'targeted',
        timestamptz '2025-03-01 10:00Z', its.id, timestamptz '2025-03-01 10:00Z'
      FROM its, lib ORDER BY its.id DESC RETURNING id, target_item_id)
    SELECT hs.id AS hold_id, locs.name AS location, v.call_number, its.barcode
    FROM hs JOIN its ON its.id = hs.target_item_id JOIN lib ON its.current_library_id = lib.a
    JOIN vols v ON v.id = its.volume_id LEFT JOIN locs ON locs.id = its.location_id`.execute(db);
  expect(rows).toHaveLength(lines);
  const key = (r: (typeof rows)[number]) => [r.location === null ? '~' : r.location, r.call_number, r.barcode];
  shelfOrder = rows
    .sort((x, y) => {
      const [a, b] = [key(x), key(y)];
      for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      return 0;
    })
    .map((r) => r.hold_id);
});
afterAll(() => f.t.close());

async function page(query: string): Promise<Line[]> {
  const res = await staff.get(`/libraries/A/pull-list${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as Line[];
}

const ids = (page: Line[]) => page.map((l) => l.hold.id);

describe('GET /libraries/:code/pull-list in pages', () => {
  it('answers the first 100 lines in shelf order without a query', async () => {
    const first = await page('');
    expect(ids(first)).toEqual(shelfOrder.slice(0, 100));
    expect(first[0]).toMatchObject({ item: { location: 'Adult' }, patron: { barcode: '21000001' }, pickupLibrary: { code: 'A' } });
    expect(first[0].item).toMatchObject({ title: expect.stringMatching(/^Pull title /), author: expect.stringMatching(/^Author /) });
  });

  it('walks the whole list with limit and offset, pages neither overlapping nor skipping', async () => {
    for (const size of [100, 37]) {
      const walked: number[] = [];
      for (let offset = 0; ; offset += size) {
        const lines = await page(`?limit=${size}&offset=${offset}`);
        expect(lines.length).toBeLessThanOrEqual(size);
        walked.push(...ids(lines));
        if (lines.length < size) break;
      }
      expect(walked).toEqual(shelfOrder);
    }
    expect(ids(await page('?limit=1000'))).toEqual(shelfOrder);
    expect(await page(`?offset=${lines}`)).toEqual([]);
  });

  it('lists items on the shelf here whoever owns them, and none on other shelves', async () => {
    const whole = await page('?limit=1000');
    const barcodes = new Set(whole.map((l) => l.item.barcode));
    const { rows } = await sql<{ barcode: string; here: boolean }>`
      SELECT i.barcode, i.current_library_id = (SELECT id FROM libraries WHERE code = 'A') AS here
      FROM items i JOIN libraries o ON o.id = i.owning_library_id WHERE o.code = 'B' AND i.barcode LIKE '39%'`.execute(f.t.connection.db);
    expect(rows.filter((r) => r.here).length).toBeGreaterThan(0);
    for (const r of rows) expect(barcodes.has(r.barcode), r.barcode).toBe(r.here);
  });

  it('gives the whole list as CSV without a limit, and one page with it', async () => {
    const csvIds = async (query: string) => {
      const res = await staff.request({ method: 'GET', url: `/api/v1/libraries/A/pull-list?format=csv${query}` });
      expect(res.status, res.text).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      const [header, ...rows] = res.text.trimEnd().split('\r\n');
      expect(header.split(',').at(-1)).toBe('Hold');
      return rows.map((row) => Number(row.split(',').at(-1)));
    };
    expect(await csvIds('')).toEqual(shelfOrder);
    expect(await csvIds('&limit=10&offset=95')).toEqual(shelfOrder.slice(95, 105));
    expect(await csvIds('&offset=240')).toEqual(shelfOrder.slice(240));
  });

  it('refuses a limit or offset out of range with the field named', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=2.5', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=abc', 'offset'],
      ['format=csv&limit=0', 'limit'],
      ['format=pdf', 'format'],
    ]) {
      const res = await staff.get(`/libraries/A/pull-list?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatchObject({ code: 'INVALID_INPUT', field });
    }
  });
});

describe('the pull list keeps its shelf order as the shelves change', () => {
  /** The list's order worked out from the items as they are now. */
  async function orderNow(): Promise<number[]> {
    const { rows } = await sql<{ id: number }>`
      SELECT h.id FROM holds h JOIN items i ON i.id = h.target_item_id JOIN volumes v ON v.id = i.volume_id
      LEFT JOIN shelving_locations loc ON loc.id = i.location_id
      WHERE h.status = 'targeted' AND i.status = 'available' AND i.current_library_id = (SELECT id FROM libraries WHERE code = 'A')
      ORDER BY loc.name, v.call_number, i.barcode`.execute(f.t.connection.db);
    return rows.map((r) => r.id);
  }

  it('follows a call number, a location name, a barcode, an item moved, a hold retargeted or no longer targeted', async () => {
    const db = f.t.connection.db;
    const [first, , third, fourth, fifth] = shelfOrder;
    const itemOf = async (holdId: number) => (await sql<{ id: number; volume_id: number }>`SELECT i.id, i.volume_id FROM holds h JOIN items i ON i.id = h.target_item_id WHERE h.id = ${holdId}`.execute(db)).rows[0];
    const changes: [string, () => Promise<unknown>][] = [
      ['a call number to the end of the shelf', async () => sql`UPDATE volumes SET call_number = '999.99' WHERE id = ${(await itemOf(first)).volume_id}`.execute(db)],
      ['a location renamed', () => sql`UPDATE shelving_locations SET name = 'Zine corner' WHERE name = 'Adult' AND library_id = (SELECT id FROM libraries WHERE code = 'A')`.execute(db)],
      [
        'a barcode relabelled',
        async () => {
          // the first of two lines on the same shelf with the same call number goes after the other
          const whole = await page('?limit=1000');
          const k = whole.findIndex((l, i) => i + 1 < whole.length && l.item.location === whole[i + 1].item.location && l.item.callNumber === whole[i + 1].item.callNumber);
          await sql`UPDATE items SET barcode = '99999999' WHERE id = ${(await itemOf(whole[k].hold.id)).id}`.execute(db);
        },
      ],
      ['an item moved to another shelf', async () => sql`UPDATE items SET location_id = NULL WHERE id = ${(await itemOf(third)).id}`.execute(db)],
      ['an item now at B', async () => sql`UPDATE items SET current_library_id = (SELECT id FROM libraries WHERE code = 'B') WHERE id = ${(await itemOf(fourth)).id}`.execute(db)],
      ['a hold no longer targeted', () => sql`UPDATE holds SET status = 'waiting', target_item_id = NULL, targeted_at = NULL WHERE id = ${fifth}`.execute(db)],
      [
        'a hold given another copy',
        async () => {
          const { rows } = await sql<{ id: number }>`
            INSERT INTO items (barcode, volume_id, record_id, owning_library_id, current_library_id, status, cataloged_at)
            SELECT '38000001', i.volume_id, i.record_id, i.owning_library_id, i.current_library_id, 'available', date '2024-01-01'
            FROM holds h JOIN items i ON i.id = h.target_item_id WHERE h.id = ${shelfOrder[10]} RETURNING id`.execute(db);
          await sql`UPDATE holds SET target_item_id = ${rows[0].id} WHERE id = ${shelfOrder[10]}`.execute(db);
        },
      ],
    ];
    for (const [change, apply] of changes) {
      const before = ids(await page('?limit=1000'));
      await apply();
      const after = ids(await page('?limit=1000'));
      expect(after, change).not.toEqual(before);
      expect(after, change).toEqual(await orderNow());
    }
  });
});
