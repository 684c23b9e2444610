import { isAgeProtected, type AgeProtection } from '../age-protection';
import type { LibraryTree } from '../library-tree';

// Whether one item may fill one hold, and if not, the one reason staff are shown for it.

export interface ItemForHold {
  id: number;
  barcode: string;
  owningLibraryId: number;
  volumeId: number;
  status: string;
  holdable: boolean;
  locationHoldable: boolean;
  circulates: boolean;
  catalogedAt: string;
  ageProtection: AgeProtection;
}

export interface HoldForTargeting {
  id: number;
  type: 'title' | 'volume' | 'copy';
  volumeId: number | null;
  itemId: number | null;
  pickupLibraryId: number;
  patronHomeLibraryId: number;
}

export const exclusionReasons = [
  'not-available',
  'item-not-holdable',
  'location-not-holdable',
  'does-not-circulate',
  'lending-not-allowed',
  'age-protected',
  'refused',
  'targeted-by-another-hold',
] as const;
export type ExclusionReason = (typeof exclusionReasons)[number];

export interface EligibilityFacts {
  tree: LibraryTree;
  /** Items already the target of, or captured for, another open hold. */
  takenItemIds: ReadonlySet<number>;
  /** Libraries that refused this hold (redirect, not on shelf): excluded for good. */
  refusedLibraryIds: ReadonlySet<number>;
  /** Today's date at each library, in its own time zone. */
  todayAt(libraryId: number): string;
}

/** Items a hold may ever use: any of the record's, that volume's, or that one copy. */
export function inScope(hold: HoldForTargeting, item: ItemForHold): boolean {
  switch (hold.type) {
    case 'title':
      return true;
    case 'volume':
      return item.volumeId === hold.volumeId;
    case 'copy':
      return item.id === hold.itemId;
  }
}

/** Whether the lending program lets an item of `owner` go to this hold's patron and pickup library. */
export function lendingAllows(tree: LibraryTree, owner: number, hold: HoldForTargeting): boolean {
  const participates = (id: number): boolean => tree.get(id)?.participatesInLending ?? false;
  // a library outside the program neither lends nor borrows
  if (!participates(owner) && hold.pickupLibraryId !== owner) return false;
  if (!participates(hold.patronHomeLibraryId) && hold.patronHomeLibraryId !== owner) return false;
  if (!participates(hold.pickupLibraryId) && hold.pickupLibraryId !== owner) return false;
  return true;
}

/** Whether the item could ever be held for this patron, whatever its status today. */
export function holdabilityRefusal(item: ItemForHold): ExclusionReason | null {
  if (!item.holdable) return 'item-not-holdable';
  if (!item.locationHoldable) return 'location-not-holdable';
  if (!item.circulates) return 'does-not-circulate';
  return null;
}

/** The reason this item cannot fill this hold now, or null when it can. */
export function exclusionOf(hold: HoldForTargeting, item: ItemForHold, facts: EligibilityFacts): ExclusionReason | null {
  const notHoldable = holdabilityRefusal(item);
  if (notHoldable) return notHoldable;
  if (!lendingAllows(facts.tree, item.owningLibraryId, hold)) return 'lending-not-allowed';
  if (
    hold.patronHomeLibraryId !== item.owningLibraryId &&
    isAgeProtected(item.catalogedAt, item.ageProtection, facts.todayAt(item.owningLibraryId))
  ) {
    return 'age-protected';
  }
  if (facts.refusedLibraryIds.has(item.owningLibraryId)) return 'refused';
  if (item.status !== 'available') return 'not-available';
  if (facts.takenItemIds.has(item.id)) return 'targeted-by-another-hold';
  return null;
}

/** The rule that kept an item from a hold, as staff read it on the hold. */
export function describeExclusion(reason: ExclusionReason): string {
  switch (reason) {
    case 'not-available':
      return 'not on the shelf (on loan, in transit, or otherwise not available)';
    case 'item-not-holdable':
      return 'this copy is marked not holdable';
    case 'location-not-holdable':
      return 'its shelving location is not holdable';
    case 'does-not-circulate':
      return 'this copy does not circulate';
    case 'lending-not-allowed':
      return 'the lending program does not allow it (a library outside the program neither lends nor borrows)';
    case 'age-protected':
      return 'new and age-protected: only patrons of its own library may hold it for now';
    case 'refused':
      return 'its library could not fill this hold (redirected or not on shelf)';
    case 'targeted-by-another-hold':
      return 'already set aside for another hold';
  }
}
