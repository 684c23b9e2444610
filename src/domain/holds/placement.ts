import { ok, refuse, type Result } from '../refusal';
import { holdabilityRefusal, type ItemForHold } from '../targeting/eligibility';
import type { HoldType } from './hold-status';

// Whether a hold may be placed at all (DESIGN §4 "Holds"). Whether an item is free to fill it
// is targeting's question, not this one: a hold on a title with no free copy is accepted and waits.

export interface PlacementFacts {
  placedBy: 'patron' | 'staff';
  /** The staff member's library for copy and volume holds; null for the consortium office. */
  staffLibraryId: number | null;
  type: HoldType;
  patron: { blocked: boolean; blockReason: string | null; homeLibraryId: number; homeParticipates: boolean };
  pickup: { id: number; code: string; participates: boolean };
  homeLibraryCode: string;
  /** For copy and volume holds: the items the hold may use. */
  scopeItems: readonly ItemForHold[];
  openHolds: number;
  maxOpenHolds: number;
  hasOpenHoldOnRecord: boolean;
}

export function checkPlacement(f: PlacementFacts): Result<null> {
  if (f.placedBy === 'patron' && f.type !== 'title') {
    return refuse('FORBIDDEN', 'Patrons place title holds; copy and volume holds are placed by staff.');
  }
  if (f.patron.blocked) {
    return refuse('PATRON_BLOCKED', `This patron is blocked${f.patron.blockReason ? ` (${f.patron.blockReason})` : ''} and cannot place holds.`);
  }
  const pickupIsHome = f.pickup.id === f.patron.homeLibraryId;
  if (!f.patron.homeParticipates && !pickupIsHome) {
    return refuse('PICKUP_NOT_ALLOWED', `${f.homeLibraryCode} is not in the lending program: its patrons pick up holds only at ${f.homeLibraryCode}.`);
  }
  if (!f.pickup.participates && !pickupIsHome) {
    return refuse('PICKUP_NOT_ALLOWED', `${f.pickup.code} is not in the lending program: only its own patrons pick up holds there.`);
  }
  if (f.type !== 'title') {
    const what = f.type === 'copy' ? 'copy' : 'volume';
    if (f.staffLibraryId !== null && f.scopeItems.some((i) => i.owningLibraryId !== f.staffLibraryId)) {
      return refuse('NOT_OWN_LIBRARY', `A ${what} hold may be placed only on your own library's items.`);
    }
    if (!f.scopeItems.some((i) => holdabilityRefusal(i) === null && isUsable(i.status))) {
      return refuse('NOT_HOLDABLE', f.type === 'copy' ? 'This copy may not be held.' : 'No copy in this volume may be held.');
    }
  }
  if (f.hasOpenHoldOnRecord) return refuse('HOLD_EXISTS', 'This patron already has an open hold on this title.');
  if (f.openHolds >= f.maxOpenHolds) {
    return refuse('HOLD_LIMIT', `This patron already has ${f.openHolds} open holds, the most the consortium allows (${f.maxOpenHolds}).`);
  }
  return ok(null);
}

// Lost, missing and damaged copies will not come back for this patron soon.
function isUsable(status: string): boolean {
  return status !== 'lost' && status !== 'missing' && status !== 'damaged';
}
