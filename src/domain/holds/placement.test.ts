import { describe, expect, it } from 'vitest';
import type { ItemForHold } from '../targeting/eligibility';
import { checkPlacement, type PlacementFacts } from './placement';

const item = (over: Partial<ItemForHold> = {}): ItemForHold => ({
  id: 1,
  barcode: '31000001',
  owningLibraryId: 1,
  volumeId: 1,
  status: 'available',
  holdable: true,
  locationHoldable: true,
  circulates: true,
  catalogedAt: '2024-01-01',
  ageProtection: 'none',
  ...over,
});

const base: PlacementFacts = {
  placedBy: 'staff',
  staffLibraryId: 1,
  type: 'title',
  patron: { blocked: false, blockReason: null, homeLibraryId: 1, homeParticipates: true },
  pickup: { id: 1, code: 'A', participates: true },
  homeLibraryCode: 'A',
  scopeItems: [],
  openHolds: 0,
  maxOpenHolds: 50,
  hasOpenHoldOnRecord: false,
};

describe('checkPlacement', () => {
  it.each<[string, Partial<PlacementFacts>, string | null]>([
    ['a title hold by staff', {}, null],
    ['a title hold by the patron', { placedBy: 'patron' }, null],
    ['a patron may not place a copy hold', { placedBy: 'patron', type: 'copy', scopeItems: [item()] }, 'FORBIDDEN'],
    ['a blocked patron', { patron: { ...base.patron, blocked: true } }, 'PATRON_BLOCKED'],
    ['7. D\'s patron cannot pick up at A', { patron: { ...base.patron, homeLibraryId: 4, homeParticipates: false } }, 'PICKUP_NOT_ALLOWED'],
    ['7. D\'s patron picks up at D', { patron: { ...base.patron, homeLibraryId: 4, homeParticipates: false }, pickup: { id: 4, code: 'D', participates: false } }, null],
    ['nobody else picks up at D', { pickup: { id: 4, code: 'D', participates: false } }, 'PICKUP_NOT_ALLOWED'],
    ['12. a copy hold on own library\'s item', { type: 'copy', scopeItems: [item()] }, null],
    ['12. a copy hold on another library\'s item', { type: 'copy', scopeItems: [item({ owningLibraryId: 2 })] }, 'NOT_OWN_LIBRARY'],
    ['the consortium office may place copy holds anywhere', { type: 'copy', staffLibraryId: null, scopeItems: [item({ owningLibraryId: 2 })] }, null],
    ['a copy hold on a non-holdable copy', { type: 'copy', scopeItems: [item({ holdable: false })] }, 'NOT_HOLDABLE'],
    ['a volume hold on a volume of reference copies', { type: 'volume', scopeItems: [item({ locationHoldable: false })] }, 'NOT_HOLDABLE'],
    ['a copy hold on a lost copy', { type: 'copy', scopeItems: [item({ status: 'lost' })] }, 'NOT_HOLDABLE'],
    ['a copy hold on a checked-out copy waits for it', { type: 'copy', scopeItems: [item({ status: 'checked-out' })] }, null],
    ['13. a second open hold on the title', { hasOpenHoldOnRecord: true }, 'HOLD_EXISTS'],
    ['13. the open-hold limit', { openHolds: 2, maxOpenHolds: 2 }, 'HOLD_LIMIT'],
  ])('%s', (_name, over, code) => {
    const result = checkPlacement({ ...base, ...over });
    expect(result.ok ? null : result.refusal.code).toBe(code);
  });
});
