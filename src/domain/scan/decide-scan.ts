import type { HoldStatus } from '../holds/hold-status';
import type { ItemStatus } from '../item-status';
import type { LibraryTree } from '../library-tree';
import { exclusionOf, type HoldForTargeting, type ItemForHold } from '../targeting/eligibility';

// The one scan (DESIGN §4 "The scan"): check in and capture are the same decision, so an item is
// never miscounted nor sent back and forth. Plain snapshot in, one next action out.


export interface ScanItem extends ItemForHold {
  status: ItemStatus;
  currentLibraryId: number;
}

export interface ScanTransit {
  id: number;
  kind: 'hold' | 'return';
  holdId: number | null;
  sourceLibraryId: number;
  destinationLibraryId: number;
}

export interface ScanHold extends HoldForTargeting {
  status: HoldStatus;
  requestedAt: string;
  targetItemId: number | null;
  capturedItemId: number | null;
  refusedLibraryIds: readonly number[];
  notifyBy: readonly string[];
  patronHasEmail: boolean;
}

export interface ScanSnapshot {
  libraryId: number;
  item: ScanItem;
  transit: ScanTransit | null;
  loanId: number | null;
  /** Open holds on the item's record. */
  holds: readonly ScanHold[];
  tree: LibraryTree;
  todayAt(libraryId: number): string;
}

export type ScanNote = 'received' | 'returned' | 'found' | 'hold-cancelled-in-transit' | 'in-transit-elsewhere' | 'damaged' | 'already-on-holds-shelf';

export interface ScanEffects {
  receiveTransitId: number | null;
  closeLoanId: number | null;
  markFound: boolean;
  /** Bind this hold to the item (it was waiting or targeted). */
  captureHoldId: number | null;
  /** Put this hold's item on the holds shelf here. */
  shelveHoldId: number | null;
  newTransit: { kind: 'hold' | 'return'; holdId: number | null; toLibraryId: number } | null;
  itemStatus: ItemStatus;
  itemCurrentLibraryId: number;
}

export interface ScanDecision {
  action: 'shelve' | 'holds-shelf' | 'transit';
  destinationLibraryId: number | null;
  holdId: number | null;
  notice: 'email' | 'phone-call' | null;
  changed: boolean;
  effects: ScanEffects;
  notes: ScanNote[];
}

export function noticeChannel(hold: Pick<ScanHold, 'notifyBy' | 'patronHasEmail'>): 'email' | 'phone-call' {
  return hold.notifyBy.includes('email') && hold.patronHasEmail ? 'email' : 'phone-call';
}

/** The hold this item should fill: the one that targeted it, else the oldest eligible waiting one. */
export function holdToFill(s: ScanSnapshot): ScanHold | null {
  const { item } = s;
  if (item.status === 'damaged') return null;
  const targeting = s.holds.find((h) => h.status === 'targeted' && h.targetItemId === item.id);
  if (targeting) return targeting;
  const asAvailable = { ...item, status: 'available' };
  const waiting = s.holds
    .filter((h) => h.status === 'waiting')
    .filter((h) => exclusionOf(h, asAvailable, { tree: s.tree, takenItemIds: new Set(), refusedLibraryIds: new Set(h.refusedLibraryIds), todayAt: s.todayAt }) === null)
    .filter((h) => h.type === 'title' || (h.type === 'volume' && h.volumeId === item.volumeId) || (h.type === 'copy' && h.itemId === item.id))
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id - b.id);
  return waiting[0] ?? null;
}

export function decideScan(s: ScanSnapshot): ScanDecision {
  const here = s.libraryId;
  const { item } = s;
  const effects: ScanEffects = {
    receiveTransitId: null,
    closeLoanId: null,
    markFound: false,
    captureHoldId: null,
    shelveHoldId: null,
    newTransit: null,
    itemStatus: item.status,
    itemCurrentLibraryId: item.currentLibraryId,
  };
  const notes: ScanNote[] = [];
  const finish = (action: ScanDecision['action'], destination: number | null, hold: ScanHold | null, notice: ScanDecision['notice']): ScanDecision => {
    const changed =
      effects.receiveTransitId !== null ||
      effects.closeLoanId !== null ||
      effects.markFound ||
      effects.captureHoldId !== null ||
      effects.shelveHoldId !== null ||
      effects.newTransit !== null ||
      effects.itemStatus !== item.status ||
      effects.itemCurrentLibraryId !== item.currentLibraryId;
    return { action, destinationLibraryId: destination, holdId: hold?.id ?? null, notice, changed, effects, notes };
  };

  // 1. In transit: to here → receive it; elsewhere → send it on, nothing changes.
  if (s.transit) {
    if (s.transit.destinationLibraryId !== here) {
      // at the desk that sent it, a re-scan answers as the first scan did
      if (s.transit.sourceLibraryId !== here) notes.push('in-transit-elsewhere');
      return finish('transit', s.transit.destinationLibraryId, s.holds.find((h) => h.id === s.transit?.holdId) ?? null, null);
    }
    effects.receiveTransitId = s.transit.id;
    effects.itemCurrentLibraryId = here;
    notes.push('received');
    if (s.transit.kind === 'hold') {
      const hold = s.holds.find((h) => h.id === s.transit?.holdId && h.status === 'in-transit' && h.capturedItemId === item.id);
      if (hold && hold.pickupLibraryId === here) {
        effects.shelveHoldId = hold.id;
        effects.itemStatus = 'on-holds-shelf';
        return finish('holds-shelf', null, hold, noticeChannel(hold));
      }
      // 5. the hold was cancelled (or moved) while its item travelled: the item is free again
      notes.push('hold-cancelled-in-transit');
    }
  } else {
    const captured = s.holds.find((h) => h.capturedItemId === item.id && (h.status === 'on-holds-shelf' || h.status === 'in-transit'));
    if (captured) {
      if (captured.status === 'on-holds-shelf' && captured.pickupLibraryId === here && item.currentLibraryId === here) {
        notes.push('already-on-holds-shelf');
        return finish('holds-shelf', null, captured, null);
      }
      // bound to a hold but found here, away from its pickup library: captured again, sent there
      effects.itemCurrentLibraryId = here;
      return route(captured);
    }
  }

  // 2. On loan → returned here. Missing or lost → found.
  if (s.loanId !== null) {
    effects.closeLoanId = s.loanId;
    notes.push('returned');
  }
  if (item.status === 'missing' || item.status === 'lost') {
    effects.markFound = true;
    notes.push('found');
  }
  effects.itemCurrentLibraryId = here;

  // 3. Fill a hold.
  const hold = holdToFill(s);
  if (hold) return route(hold);
  if (item.status === 'damaged') notes.push('damaged');

  // 4. Home: shelve here, or send home (no slip needed).
  if (item.owningLibraryId === here) {
    effects.itemStatus = item.status === 'damaged' ? 'damaged' : 'available';
    return finish('shelve', null, null, null);
  }
  effects.itemStatus = 'in-transit';
  effects.newTransit = { kind: 'return', holdId: null, toLibraryId: item.owningLibraryId };
  return finish('transit', item.owningLibraryId, null, null);

  /** Binds the item to the hold here: onto this holds shelf, or into a hold transit to its pickup library. */
  function route(h: ScanHold): ScanDecision {
    effects.captureHoldId = h.id;
    if (h.pickupLibraryId === here) {
      effects.shelveHoldId = h.id;
      effects.itemStatus = 'on-holds-shelf';
      return finish('holds-shelf', null, h, noticeChannel(h));
    }
    effects.itemStatus = 'in-transit';
    effects.newTransit = { kind: 'hold', holdId: h.id, toLibraryId: h.pickupLibraryId };
    return finish('transit', h.pickupLibraryId, h, null);
  }
}
