import { describe, expect, it } from 'vitest';
import { libraryTree } from '../../domain/library-tree';
import type { ItemForHold } from '../../domain/targeting/eligibility';
import type { LibraryFacts } from './library-facts';
import { decideSweep, type SweepHold, type SweepReason, type SweepRecord } from './sweep-decisions';

// The sweep's in-memory decisions over one batch: order, and items passing from hold to hold.

const A = 1;
const B = 2;
const tree = libraryTree([
  { id: A, code: 'A', parentId: null, participatesInLending: true },
  { id: B, code: 'B', parentId: null, participatesInLending: true },
]);
const now = new Date('2025-03-05T15:00:00Z');
const run = {
  now,
  random: () => 0,
  libraries: { tree, todayAt: () => '2025-03-05' } as unknown as LibraryFacts,
  policy: 'random' as const,
  staffId: null,
};

function item(id: number, library: number): ItemForHold {
  return { id, barcode: `i${id}`, owningLibraryId: library, volumeId: 1, status: 'available', holdable: true, locationHoldable: true, circulates: true, catalogedAt: '2020-01-01', ageProtection: 'none' };
}

function hold(id: number, reason: SweepReason, fields: Partial<SweepHold> = {}): SweepHold {
  return {
    id,
    type: 'title',
    volumeId: null,
    itemId: null,
    pickupLibraryId: A,
    patronHomeLibraryId: A,
    recordId: 1,
    patronId: id,
    status: reason === 'resume' ? 'suspended' : reason === 'timeout' ? 'targeted' : 'waiting',
    targetItemId: null,
    requestedAt: id,
    reason,
    refused: new Set(),
    timedOut: new Set(),
    lastSummary: null,
    timeoutLibraryId: null,
    ...fields,
  };
}

function record(items: ItemForHold[], holds: SweepHold[], heldBy: [number, number][] = [], busy: number[] = []): SweepRecord {
  return { items, holds, heldBy: new Map(heldBy), busy: new Set(busy) };
}

describe('decideSweep', () => {
  it('moves a timed-out target to an untried library, and gives the released copy to a waiting hold', () => {
    const timedOut = hold(2, 'timeout', { targetItemId: 10, timeoutLibraryId: A });
    const waiting = hold(1, 'waiting');
    const out = decideSweep([record([item(10, A), item(20, B)], [waiting, timedOut], [[10, 2]])], run, 24);
    // the timeout is worked first although its hold is younger: B's copy for it, A's for the waiting one
    expect(out.changes).toEqual([
      { id: 2, status: 'targeted', target_item_id: 20, targeted_at: now, resumed: false },
      { id: 1, status: 'targeted', target_item_id: 10, targeted_at: now, resumed: false },
    ]);
    expect(out.timeouts.map((h) => h.id)).toEqual([2]);
    expect(out.events.map((e) => `${e.kind} ${e.hold.id}`)).toEqual(['hold-target-timeout 2', 'hold-targeted 2', 'hold-targeted 1']);
    expect(out.counts).toEqual({ resumed: 0, timedOut: 1, retargeted: 1, waitingTried: 1, newlyTargeted: 1 });
  });

  it('resumes a suspended hold and targets it; leaves an unchanged waiting hold without a new explanation', () => {
    const resumed = hold(1, 'resume');
    const stillWaiting = hold(2, 'waiting', { lastSummary: 'x' });
    const out = decideSweep([record([item(10, A)], [resumed, stillWaiting])], run, 24);
    expect(out.changes).toEqual([{ id: 1, status: 'targeted', target_item_id: 10, targeted_at: now, resumed: true }]);
    expect(out.explanations.map((e) => [e.holdId, e.trigger])).toEqual([
      [1, 'resumed'],
      [2, 'sweep'],
    ]);
    const again = decideSweep([record([item(10, A)], [hold(2, 'waiting', { lastSummary: out.explanations[1].decision.summary })], [[10, 1]])], run, 24);
    expect(again.explanations).toEqual([]);
    expect(again.changes).toEqual([]);
  });

  it('keeps the previous target only as the last resort, and never gives an item another transaction holds', () => {
    const timedOut = hold(1, 'timeout', { targetItemId: 10, timeoutLibraryId: A });
    const out = decideSweep([record([item(10, A), item(20, B)], [timedOut], [[10, 1]], [20])], run, 24);
    expect(out.changes).toEqual([{ id: 1, status: 'targeted', target_item_id: 10, targeted_at: now, resumed: false }]);
    expect(out.counts.retargeted).toBe(0);
    expect(out.events.map((e) => e.kind)).toEqual(['hold-target-timeout']);
  });

  it('skips a hold whose state changed since the sweep found it', () => {
    const out = decideSweep([record([item(10, A)], [hold(1, 'resume', { status: 'waiting' }), hold(2, 'timeout', { status: 'waiting', timeoutLibraryId: A })])], run, 24);
    expect(out.changes).toEqual([]);
    expect(out.counts).toEqual({ resumed: 0, timedOut: 0, retargeted: 0, waitingTried: 0, newlyTargeted: 0 });
  });
});
