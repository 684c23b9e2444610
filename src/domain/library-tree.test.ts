import { describe, expect, it } from 'vitest';
import { libraryTree, nearness } from './library-tree';

// SCENARIOS.md fixture: A, B, C, D top-level; system S with branches S1, S2.
const ids = { A: 1, B: 2, C: 3, D: 4, S: 5, S1: 6, S2: 7 } as const;
const tree = libraryTree([
  { id: 1, code: 'A', parentId: null, participatesInLending: true },
  { id: 2, code: 'B', parentId: null, participatesInLending: true },
  { id: 3, code: 'C', parentId: null, participatesInLending: true },
  { id: 4, code: 'D', parentId: null, participatesInLending: false },
  { id: 5, code: 'S', parentId: null, participatesInLending: true },
  { id: 6, code: 'S1', parentId: 5, participatesInLending: true },
  { id: 7, code: 'S2', parentId: 5, participatesInLending: true },
]);

describe('nearness', () => {
  it.each([
    ['A', 'A', 0],
    ['A', 'B', 2],
    ['B', 'C', 2],
    ['S1', 'S2', 2],
    ['A', 'S1', 3],
    ['S2', 'C', 3],
    ['S1', 'S', 1],
  ] as const)('%s to %s is %i steps', (a, b, steps) => {
    expect(nearness(tree, ids[a], ids[b])).toBe(steps);
    expect(nearness(tree, ids[b], ids[a])).toBe(steps);
  });
});
