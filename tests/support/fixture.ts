import type { Caller } from './test-app';

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
