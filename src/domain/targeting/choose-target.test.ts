import { describe, expect, it } from 'vitest';
import { libraryTree } from '../library-tree';
import { seededRandom } from '../seeded-random';
import { chooseTarget, type TargetingFacts } from './choose-target';
import type { HoldForTargeting, ItemForHold } from './eligibility';

// SCENARIOS.md fixture: A=1, B=2, C=3, D=4 (not lending), system S=5 with S1=6, S2=7.
const L = { A: 1, B: 2, C: 3, D: 4, S1: 6, S2: 7 } as const;
const tree = libraryTree([
  { id: 1, code: 'A', parentId: null, participatesInLending: true },
  { id: 2, code: 'B', parentId: null, participatesInLending: true },
  { id: 3, code: 'C', parentId: null, participatesInLending: true },
  { id: 4, code: 'D', parentId: null, participatesInLending: false },
  { id: 5, code: 'S', parentId: null, participatesInLending: true },
  { id: 6, code: 'S1', parentId: 5, participatesInLending: true },
  { id: 7, code: 'S2', parentId: 5, participatesInLending: true },
]);

function item(id: number, library: number, over: Partial<ItemForHold> = {}): ItemForHold {
  return {
    id,
    barcode: String(30000000 + id),
    owningLibraryId: library,
    volumeId: library,
    status: 'available',
    holdable: true,
    locationHoldable: true,
    circulates: true,
    catalogedAt: '2024-01-01',
    ageProtection: 'none',
    ...over,
  };
}
const T1 = [item(1, L.A), item(2, L.B), item(3, L.C), item(4, L.D), item(5, L.S1), item(6, L.S2)];
const out = (items: ItemForHold[], ...ids: number[]): ItemForHold[] => items.map((i) => (ids.includes(i.id) ? { ...i, status: 'checked-out' } : i));

function hold(over: Partial<HoldForTargeting> = {}): HoldForTargeting {
  return { id: 1, type: 'title', volumeId: null, itemId: null, pickupLibraryId: L.A, patronHomeLibraryId: L.A, ...over };
}

function facts(over: Partial<TargetingFacts> = {}): TargetingFacts {
  const random = seededRandom(42);
  return {
    tree,
    takenItemIds: new Set(),
    refusedLibraryIds: new Set(),
    timedOutLibraryIds: new Set(),
    previousTargetItemId: null,
    lentLast30Days: new Map(),
    policy: 'random',
    todayAt: () => '2025-03-03',
    random: () => random.next(),
    ...over,
  };
}

function target(h: HoldForTargeting, items: ItemForHold[], f: Partial<TargetingFacts> = {}): number | string {
  const d = chooseTarget(h, items, facts(f));
  return d.outcome === 'targeted' ? d.itemId : d.reason;
}

describe('chooseTarget', () => {
  it.each([
    ['1. local first', hold(), T1, {}, 1],
    ['2. S1 pickup prefers S2 (2 steps) over top-level libraries (3)', hold({ pickupLibraryId: L.S1, patronHomeLibraryId: L.S1 }), out(T1, 5), {}, 6],
    ['4. an item another hold targets is skipped', hold(), T1, { takenItemIds: new Set([1, 2]) }, 3],
    ['5. not-holdable location and item are never chosen', hold(), out(T1.map((i) => (i.id === 2 ? { ...i, locationHoldable: false } : i.id === 3 ? { ...i, holdable: false } : i)), 1, 6), {}, 5],
    ['6. protected item waits for other libraries\' patrons', hold(), out(T1.map((i) => (i.id === 2 ? { ...i, ageProtection: '3m' as const, catalogedAt: '2025-02-01' } : i)), 1, 3, 4, 5, 6), {}, 'all-protected'],
    ['6. the protection ends on its date', hold(), out(T1.map((i) => (i.id === 2 ? { ...i, ageProtection: '3m' as const, catalogedAt: '2025-02-01' } : i)), 1, 3, 4, 5, 6), { todayAt: () => '2025-05-02' }, 2],
    ['6. the owning library\'s patron may hold a protected item anywhere', hold({ patronHomeLibraryId: L.B }), [item(9, L.B, { ageProtection: '6m', catalogedAt: '2025-03-01' })], {}, 9],
    ['7. D does not lend', hold(), out(T1, 1, 2, 3, 5, 6), {}, 'lending-not-allowed'],
    ['7. D\'s patron picking up at D gets D\'s item', hold({ pickupLibraryId: L.D, patronHomeLibraryId: L.D }), T1, {}, 4],
    ['7. D\'s patron never borrows another library\'s item', hold({ pickupLibraryId: L.D, patronHomeLibraryId: L.D }), out(T1, 4), {}, 'lending-not-allowed'],
    ['8. no items', hold(), [], {}, 'no-items'],
    ['10. the previous target stays as a last resort', hold(), out(T1, 1, 3, 5, 6), { previousTargetItemId: 2, timedOutLibraryIds: new Set([L.B]) }, 2],
    ['9. a timed-out library comes after untried ones', hold(), out(T1, 1, 3, 6), { previousTargetItemId: 2, timedOutLibraryIds: new Set([L.B]) }, 5],
    ['11. a library that refused is never chosen again', hold(), out(T1, 1, 3, 5, 6).filter((i) => i.id !== 4), { refusedLibraryIds: new Set([L.B]) }, 'all-refused'],
    ['12. a copy hold targets only that copy', hold({ type: 'copy', itemId: 1 }), T1, { takenItemIds: new Set([1]) }, 'all-targeted'],
    ['12. a volume hold targets only that volume', hold({ type: 'volume', volumeId: L.C }), T1, {}, 3],
    ['all out', hold(), out(T1, 1, 2, 3, 4, 5, 6), {}, 'lending-not-allowed'],
    ['all out, none outside the program', hold(), out(T1, 1, 2, 3, 5, 6).filter((i) => i.id !== 4), {}, 'none-available'],
  ] as const)('%s', (_name, h, items, f, expected) => {
    expect(target(h, [...items], f as Partial<TargetingFacts>)).toBe(expected);
  });

  it('2. never reaches past B and C to S1 while they are free, and splits evenly between them', () => {
    const counts = new Map<number, number>();
    const random = seededRandom(7);
    for (let i = 0; i < 3000; i++) {
      const d = chooseTarget(hold(), out(T1, 1), facts({ random: () => random.next() }));
      if (d.outcome !== 'targeted') throw new Error('expected a target');
      counts.set(d.itemId, (counts.get(d.itemId) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([2, 3]);
    expect(counts.get(2)!).toBeGreaterThan(1400);
    expect(counts.get(3)!).toBeGreaterThan(1400);
  });

  it('3. balanced policy weights by 1 / (1 + items lent in the last 30 days)', () => {
    const random = seededRandom(11);
    let c = 0;
    const n = 3200;
    for (let i = 0; i < n; i++) {
      const d = chooseTarget(hold(), out(T1, 1), facts({ policy: 'balanced', lentLast30Days: new Map([[L.B, 30]]), random: () => random.next() }));
      if (d.outcome === 'targeted' && d.itemId === 3) c++;
    }
    // expected share 1 / (1 + 1/31) = 31/32
    expect(c / n).toBeGreaterThan(0.95);
    expect(c / n).toBeLessThan(0.985);
  });

  it('explains every item: candidates with the rule that excluded the others, and the draw', () => {
    const d = chooseTarget(hold(), out(T1, 1), facts());
    expect(d.outcome).toBe('targeted');
    expect(d.candidates.map((c) => [c.barcode, c.excludedBecause ?? null])).toEqual([
      ['30000001', 'not-available'],
      ['30000002', null],
      ['30000003', null],
      ['30000004', 'lending-not-allowed'],
      ['30000005', null],
      ['30000006', null],
    ]);
    if (d.outcome === 'targeted') expect(d.draws).toHaveLength(1);
  });
});
