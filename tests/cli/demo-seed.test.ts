import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoRecords } from '../../src/cli/demo-seed-catalog';
import { demoLogins, seedDemo, type DemoSeedSummary } from '../../src/cli/demo-seed';
import type { Connection } from '../../src/db/connection';
import type { ParsedMarcRecord } from '../../src/services/marc/read-marc';
import { login } from '../../src/services/sessions';
import { openTestDatabase } from '../support/database';

const now = new Date('2025-03-03T15:00:00Z');
let records: ParsedMarcRecord[];
let connection: Connection;
let first: DemoSeedSummary | null;

beforeAll(async () => {
  records = await readDemoRecords();
  connection = await openTestDatabase();
  first = await seedDemo(connection.db, now, records);
}, 120_000);
afterAll(() => connection?.close());

async function count(query: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`${sql.raw(query)}`.execute(connection.db);
  return Number(rows[0].n);
}

describe('the demo consortium', () => {
  it('is seeded quickly, with the library tree of the demo', async () => {
    expect(first).not.toBeNull();
    console.log(`demo seed on the ${connection.kind} database: ${first!.ms} ms`, first);
    expect(first!.ms).toBeLessThan(30_000);
    expect(await count(`SELECT count(*) AS n FROM libraries WHERE kind = 'library'`)).toBeGreaterThanOrEqual(8);
    const { rows: systems } = await sql<{ code: string; branches: number }>`
      SELECT s.code, (SELECT count(*)::int FROM libraries b WHERE b.parent_id = s.id) AS branches FROM libraries s WHERE s.kind = 'system'`.execute(connection.db);
    expect(systems).toEqual([{ code: 'HAN', branches: 2 }]);
    expect(await count(`SELECT count(*) AS n FROM libraries WHERE NOT participates_in_lending`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM libraries WHERE kind = 'library' AND (timezone <> 'America/New_York' OR opening_hours = '{}')`)).toBe(0);
    expect(await count(`SELECT count(DISTINCT library_id) AS n FROM shelving_locations WHERE name = 'Reference' AND NOT holdable`)).toBe(8);
  });

  it('holds about 1,500 records, each with one to four items', async () => {
    expect(await count('SELECT count(*) AS n FROM records')).toBe(records.length);
    expect(records.length).toBeGreaterThanOrEqual(1400);
    expect(records.length).toBeLessThanOrEqual(1600);
    const { rows } = await sql<{ min: number; max: number; items: number }>`
      SELECT min(n)::int AS min, max(n)::int AS max, sum(n)::int AS items
      FROM (SELECT r.id, count(i.id) AS n FROM records r LEFT JOIN items i ON i.record_id = r.id GROUP BY r.id) per_record`.execute(connection.db);
    expect(rows[0]).toMatchObject({ min: 1, max: 4 });
    expect(rows[0].items).toBe(first!.items);
    expect(await count(`SELECT count(*) AS n FROM items WHERE barcode !~ '^3[1-8][0-9]{6}$'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM items WHERE age_protection <> 'none'`)).toBeGreaterThan(5);
    expect(await count(`SELECT count(*) AS n FROM items WHERE cataloged_at < DATE '2023-03-03' OR cataloged_at > DATE '2025-03-03'`)).toBe(0);
    expect(await count(`SELECT count(DISTINCT owning_library_id) AS n FROM items`)).toBe(8);
    expect(await count(`SELECT count(*) AS n FROM records WHERE search = ''::tsvector OR marc IS NULL`)).toBe(0);
  });

  it('has about 200 patrons reachable by email or phone, a few with a catalog login', async () => {
    const patrons = await count('SELECT count(*) AS n FROM patrons');
    expect(patrons).toBeGreaterThanOrEqual(180);
    expect(patrons).toBeLessThanOrEqual(220);
    expect(await count(`SELECT count(*) AS n FROM patrons WHERE barcode !~ '^2[1-8][0-9]{6}$'`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM patrons WHERE email IS NOT NULL AND notify_by = '{email}'`)).toBeGreaterThan(50);
    expect(await count(`SELECT count(*) AS n FROM patrons WHERE email IS NULL AND phone IS NOT NULL AND notify_by = '{phone}'`)).toBeGreaterThan(20);
    expect(await count(`SELECT count(*) AS n FROM patrons WHERE username IS NOT NULL AND password_hash IS NOT NULL`)).toBeGreaterThanOrEqual(3);
    expect(await count(`SELECT count(*) AS n FROM events WHERE kind = 'demo-seeded'`)).toBe(1);
  });

  it('does nothing when seeded a second time', async () => {
    const before = await count('SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM patrons) + (SELECT count(*) FROM events) AS n');
    expect(await seedDemo(connection.db, now, records)).toBeNull();
    expect(await count('SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM patrons) + (SELECT count(*) FROM events) AS n')).toBe(before);
  });

  it('lets the printed staff and patron logins sign in', async () => {
    const logins = await demoLogins(connection.db);
    expect(logins?.libraries).toHaveLength(8);
    const bar = logins!.libraries.find((l) => l.code === 'BAR')!;
    expect(bar.usernames).toEqual({ circulation: 'bar-circ', cataloger: 'bar-cat', 'library-admin': 'bar-admin' });
    const staff = await login(connection.db, { username: 'bar-circ', password: logins!.staffPassword, address: 'test' }, now);
    expect(staff.ok && staff.value.user).toMatchObject({ kind: 'staff', role: 'circulation', library: { code: 'BAR' } });
    const admin = await login(connection.db, { username: 'ell-admin', password: logins!.staffPassword, address: 'test' }, now);
    expect(admin.ok && admin.value.user.role).toBe('library-admin');
    const patron = await login(connection.db, { username: logins!.patron!.username, password: logins!.patronPassword, address: 'test' }, now);
    expect(patron.ok && patron.value.user.kind).toBe('patron');
    const wrong = await login(connection.db, { username: 'bar-circ', password: 'admin', address: 'test' }, now);
    expect(wrong.ok).toBe(false);
  });

  it('is the same every time', async () => {
    const other = await openTestDatabase();
    try {
      await seedDemo(other.db, now, records);
      const fingerprint = async (c: Connection) =>
        (
          await sql<{ f: string }>`
            SELECT md5(string_agg(concat_ws('|', i.barcode, r.control_number, r.title, v.call_number, i.cataloged_at, i.age_protection, i.status), ',' ORDER BY i.barcode)) ||
                   md5((SELECT string_agg(concat_ws('|', barcode, first_name, last_name, email, phone, username), ',' ORDER BY barcode) FROM patrons)) AS f
            FROM items i JOIN records r ON r.id = i.record_id JOIN volumes v ON v.id = i.volume_id`.execute(c.db)
        ).rows[0].f;
      expect(await fingerprint(other)).toBe(await fingerprint(connection));
    } finally {
      await other.close();
    }
  }, 120_000);
});
