import { createTestPatron, fixtureStaffName, fixtureStaffPassword, fixtureStaffRoles, type ConsortiumFixture, type FixtureStaffKind } from './fixture';
import { testAdmin } from './test-database-kind';
import type { Caller } from './test-app';

// The callers of the authorization matrix: nobody, the patron whose data it is, another patron,
// each staff role at the library concerned, the same roles at other libraries, and the
// consortium office. The library concerned is, in each cell, the patron's home library, the
// owner of the items, the pickup library and the library in the path. B is kept out of the
// callers: it is the far end of some cells' state (a transit, a message).

function codes(variable: string, fallback: string, allowed: string[]): string[] {
  const list = (process.env[variable] ?? fallback).split(',').map((c) => c.trim()).filter(Boolean);
  const bad = list.filter((c) => !allowed.includes(c));
  if (bad.length > 0) throw new Error(`${variable} may name ${allowed.join(', ')}, not ${bad.join(', ')}`);
  return list;
}

/**
 * The libraries concerned, one matrix each: A (a top-level library) by default;
 * TAMARACK_AUTHZ_LIBRARIES adds e.g. S1 (a branch of a system, next to its sibling S2).
 * D is left out: outside the lending program it sends no transits.
 */
export function concernedLibraries(): string[] {
  return codes('TAMARACK_AUTHZ_LIBRARIES', 'A', ['A', 'S1', 'S2']);
}

/**
 * Staff of other libraries: C (another top-level library) by default;
 * TAMARACK_AUTHZ_OTHER_LIBRARIES adds e.g. D (outside the lending program) and S1, S2 (branches
 * of a system). The library concerned is never its own other.
 */
export function otherLibraries(concerned: string): string[] {
  return codes('TAMARACK_AUTHZ_OTHER_LIBRARIES', 'C', ['A', 'C', 'D', 'S1', 'S2']).filter((c) => c !== concerned);
}

export type Who =
  | { kind: 'anonymous' }
  | { kind: 'patron' }
  | { kind: 'other-patron' }
  | { kind: 'staff'; role: FixtureStaffKind; library: string; own: boolean }
  | { kind: 'consortium-admin' };

export interface MatrixCaller {
  label: string;
  who: Who;
  caller: Caller;
  /** A second session of the same account, for the cells that end a session. */
  signInAgain(): Promise<Caller>;
}

export interface MatrixPatron {
  barcode: string;
  password: string;
  lastName: string;
  email: string;
  phone: string;
}

/** A patron of `library` with an email, a phone and a sign-in of their own. */
export async function matrixPatron(f: ConsortiumFixture, library: string, phone: string): Promise<MatrixPatron> {
  const patron = await createTestPatron(await f.staff(library, 'circ'), { phone, homeLibraryCode: library });
  return { ...patron, lastName: `Patron${patron.barcode}`, email: `p${patron.barcode}@example.org`, phone };
}

export async function matrixCallers(f: ConsortiumFixture, concerned: string, owner: MatrixPatron, other: MatrixPatron): Promise<MatrixCaller[]> {
  const { t } = f;
  const patronCaller = async (label: string, who: Who, p: MatrixPatron): Promise<MatrixCaller> => {
    const signIn = () => t.login(p.barcode, p.password);
    return { label, who, caller: await signIn(), signInAgain: signIn };
  };
  const callers: MatrixCaller[] = [
    { label: 'anonymous', who: { kind: 'anonymous' }, caller: t.anonymous, signInAgain: async () => t.anonymous },
    await patronCaller('patron (owner)', { kind: 'patron' }, owner),
    await patronCaller('other patron', { kind: 'other-patron' }, other),
  ];
  for (const library of [concerned, ...otherLibraries(concerned)]) {
    for (const role of Object.keys(fixtureStaffRoles) as FixtureStaffKind[]) {
      callers.push({
        label: `${library} ${role}`,
        who: { kind: 'staff', role, library, own: library === concerned },
        caller: await f.staff(library, role),
        signInAgain: () => t.login(fixtureStaffName(library, role), fixtureStaffPassword),
      });
    }
  }
  callers.push({ label: 'consortium admin', who: { kind: 'consortium-admin' }, caller: f.admin, signInAgain: () => t.login(testAdmin.username, testAdmin.password) });
  return callers;
}
