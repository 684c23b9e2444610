import { createTestApp, type Caller, type TestApp, type TestAppOptions } from './test-app';

// The library tree of SCENARIOS.md "Fixture": A, B, C, D at the top (D outside the lending
// program) and system S with branches S1 and S2.
export const fixtureLibraries = [
  { code: 'A', name: 'Abbot Library' },
  { code: 'B', name: 'Bangor Library' },
  { code: 'C', name: 'Camden Library' },
  { code: 'D', name: 'Dover Library', participatesInLending: false },
  { code: 'S', name: 'Southern System', kind: 'system' },
  { code: 'S1', name: 'Southern One', parentCode: 'S' },
  { code: 'S2', name: 'Southern Two', parentCode: 'S' },
] as const;

export async function createFixtureLibraries(admin: Caller): Promise<void> {
  for (const library of fixtureLibraries) {
    const res = await admin.post('/libraries', library);
    if (res.status !== 201) throw new Error(`could not create library ${library.code}: ${res.text}`);
  }
}

// Staff of every fixture library (not the system S): one of each library role, signed in as
// e.g. `a-circ`, `b-cat`, `s1-admin` with fixtureStaffPassword. Created through POST /staff.
export const fixtureStaffPassword = 'staff-password-1';
export const fixtureStaffRoles = { circ: 'circulation', cat: 'cataloger', admin: 'library-admin' } as const;
export type FixtureStaffKind = keyof typeof fixtureStaffRoles;

export function fixtureStaffName(libraryCode: string, kind: FixtureStaffKind): string {
  return `${libraryCode.toLowerCase()}-${kind}`;
}

export async function createFixtureStaff(admin: Caller): Promise<void> {
  for (const library of fixtureLibraries.filter((l) => !('kind' in l))) {
    for (const [kind, role] of Object.entries(fixtureStaffRoles)) {
      const username = fixtureStaffName(library.code, kind as FixtureStaffKind);
      const res = await admin.post('/staff', { username, password: fixtureStaffPassword, libraryCode: library.code, role });
      if (res.status !== 201) throw new Error(`could not create staff ${username}: ${res.text}`);
    }
  }
}

// The patrons of SCENARIOS.md "Fixture", each able to sign in with card barcode and
// fixturePatronPassword. Created through POST /patrons by any staff caller.
export const fixturePatronPassword = 'patron-password-1';
export const fixturePatrons = {
  PA1: { barcode: '21000001', firstName: 'Alice', lastName: 'Anders', homeLibraryCode: 'A', email: 'pa1@example.org', notifyBy: ['email'] },
  PA2: { barcode: '21000002', firstName: 'Aaron', lastName: 'Avery', homeLibraryCode: 'A', email: 'pa2@example.org' },
  PB1: { barcode: '22000001', firstName: 'Betty', lastName: 'Bishop', homeLibraryCode: 'B', phone: '207-555-0101' },
  PC1: { barcode: '23000001', firstName: 'Carl', lastName: 'Crane', homeLibraryCode: 'C', email: 'pc1@example.org' },
  PD1: { barcode: '24000001', firstName: 'Dora', lastName: 'Dunn', homeLibraryCode: 'D', email: 'pd1@example.org' },
} as const;

export async function createFixturePatrons(staff: Caller): Promise<void> {
  for (const [key, patron] of Object.entries(fixturePatrons)) {
    const res = await staff.post('/patrons', { ...patron, password: fixturePatronPassword });
    if (res.status !== 201) throw new Error(`could not create patron ${key}: ${res.text}`);
  }
}

let testPatrons = 0;
/**
 * A fresh patron for one test to change freely: home A unless `extra` says otherwise, an email
 * p<barcode>@example.org, last name Patron<barcode>, and a password of its own.
 */
export async function createTestPatron(staff: Caller, extra: Record<string, unknown> = {}): Promise<{ barcode: string; password: string }> {
  const barcode = String(60000000 + ++testPatrons);
  // (a password may not contain the card number)
  const password = `reader-${testPatrons}-pw`;
  const body = { barcode, firstName: 'Test', lastName: `Patron${barcode}`, homeLibraryCode: 'A', email: `p${barcode}@example.org`, password, ...extra };
  const res = await staff.post('/patrons', body);
  if (res.status !== 201) throw new Error(`could not create test patron ${barcode}: ${res.text}`);
  return { barcode, password };
}

/** The whole SCENARIOS.md fixture on a fresh API: libraries, staff, patrons, and signed-in callers. */
export interface ConsortiumFixture {
  t: TestApp;
  admin: Caller;
  /** A signed-in fixture staff member, e.g. staff('A', 'circ'); signed in once per run. */
  staff(libraryCode: string, kind: FixtureStaffKind): Promise<Caller>;
}

export async function createConsortiumFixture(now?: Date, options: TestAppOptions = {}): Promise<ConsortiumFixture> {
  const t = await createTestApp(now, options);
  const admin = await t.admin();
  const callers = new Map<string, Caller>();
  const staff = async (libraryCode: string, kind: FixtureStaffKind): Promise<Caller> => {
    const username = fixtureStaffName(libraryCode, kind);
    if (!callers.has(username)) callers.set(username, await t.login(username, fixtureStaffPassword));
    return callers.get(username)!;
  };
  await createFixtureLibraries(admin);
  await createFixtureStaff(admin);
  await createFixturePatrons(await staff('A', 'circ'));
  return { t, admin, staff };
}
