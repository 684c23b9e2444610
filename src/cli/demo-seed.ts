import { sql, type Kysely } from 'kysely';
import { recordEvent } from '../db/events';
import type { Database } from '../db/schema';
import type { ParsedMarcRecord } from '../services/marc/read-marc';
import { readDemoRecords, seedCatalog, type CatalogCounts } from './demo-seed-catalog';
import { demoLibraries, demoSystem, seedLibraries } from './demo-seed-libraries';
import { demoPatronPassword, demoStaffPassword, demoStaffRoles, seedPatrons, seedStaff, type PatronCounts } from './demo-seed-people';
import { seededRandom } from '../domain/seeded-random';

// `tamarack demo` fills an empty database with a consortium to try everything on: libraries,
// a catalog with items, staff logins and patrons (API.md "Running").

export interface DemoSeedSummary extends CatalogCounts, PatronCounts {
  libraries: number;
  systems: number;
  staff: number;
  ms: number;
}

// Any fixed number: it makes every demo database alike.
const demoSeed = 20250303;

/**
 * Seeds the demo consortium in one transaction when the database has no library yet; returns
 * null (and changes nothing) otherwise. `records` defaults to demo/records.mrc.gz.
 */
export async function seedDemo(db: Kysely<Database>, now: Date, records?: ParsedMarcRecord[]): Promise<DemoSeedSummary | null> {
  const started = Date.now();
  // Read before the transaction: parsing needs no lock, and an empty database skips it anyway.
  if (await db.selectFrom('libraries').select('id').limit(1).executeTakeFirst()) return null;
  const catalog = records ?? (await readDemoRecords());
  return db.transaction().execute(async (trx) => {
    // Two processes starting on one new database seed it once.
    await sql`SELECT pg_advisory_xact_lock(hashtext('tamarack-demo-seed'))`.execute(trx);
    if (await trx.selectFrom('libraries').select('id').limit(1).executeTakeFirst()) return null;
    const random = seededRandom(demoSeed);
    const libraries = await seedLibraries(trx, now);
    const counts = await seedCatalog(trx, libraries, catalog, random, now);
    const staff = await seedStaff(trx, libraries);
    const patrons = await seedPatrons(trx, libraries, random);
    const summary = { libraries: libraries.length, systems: 1, ...counts, staff, ...patrons };
    await recordEvent(trx, { at: now, kind: 'demo-seeded', data: summary });
    return { ...summary, ms: Date.now() - started };
  });
}

export interface DemoLogins {
  staffPassword: string;
  patronPassword: string;
  libraries: { code: string; name: string; usernames: Partial<Record<string, string>> }[];
  patron: { username: string; barcode: string; library: string } | null;
}

/** The logins to print at start, or null when this database was not seeded by the demo. */
export async function demoLogins(db: Kysely<Database>): Promise<DemoLogins | null> {
  const seeded = await db.selectFrom('events').select('id').where('kind', '=', 'demo-seeded').executeTakeFirst();
  if (!seeded) return null;
  const staff = await db
    .selectFrom('staff')
    .innerJoin('libraries', 'libraries.id', 'staff.library_id')
    .select(['staff.username', 'staff.role', 'libraries.code', 'libraries.name'])
    .where('staff.active', '=', true)
    .orderBy('libraries.id')
    .orderBy('staff.id')
    .execute();
  const libraries = new Map<string, DemoLogins['libraries'][number]>();
  for (const s of staff) {
    const entry = libraries.get(s.code) ?? { code: s.code, name: s.name, usernames: {} };
    entry.usernames[s.role] ??= s.username;
    libraries.set(s.code, entry);
  }
  const patron = await db
    .selectFrom('patrons')
    .innerJoin('libraries', 'libraries.id', 'patrons.home_library_id')
    .select(['patrons.username', 'patrons.barcode', 'libraries.name'])
    .where('patrons.username', 'is not', null)
    .where('patrons.blocked', '=', false)
    .orderBy('patrons.id')
    .executeTakeFirst();
  return {
    staffPassword: demoStaffPassword,
    patronPassword: demoPatronPassword,
    libraries: [...libraries.values()],
    patron: patron ? { username: patron.username ?? '', barcode: patron.barcode, library: patron.name } : null,
  };
}

const outside = demoLibraries.filter((l) => !l.participates).map((l) => l.code);
const branches = demoLibraries.filter((l) => l.parent === demoSystem.code).map((l) => l.code);
export const demoTreeNote = `${outside.join(', ')} is outside the lending program; ${branches.join(' and ')} are branches of the ${demoSystem.code} system.`;

/** The roles of the staff logins table, in column order. */
export const demoRoleColumns = demoStaffRoles.map((r) => r.role);
