import type { ScanDecision } from '../../domain/scan/decide-scan';
import type { LibraryFacts } from '../holds/library-facts';
import type { LoadedItem } from './scan-snapshot';

// The event rows of one scan's outcome, in the order things happened. The columns every scan
// event shares (time, actor, desk, item, record) are filled by the applying statement.

export interface ScanEvent {
  kind: string;
  hold_id: number | null;
  patron_id: number | null;
  transit_id: number | null;
  loan_id: number | null;
  /** Refers to the transit this same statement sends. */
  new_transit: boolean;
  data: Record<string, unknown>;
}

export function scanEvents(loaded: LoadedItem, d: ScanDecision, facts: LibraryFacts, shelfExpiresAt: Date | null): ScanEvent[] {
  const e = d.effects;
  const item = loaded.item;
  const patronOf = (holdId: number | null) => (holdId === null ? null : (loaded.patronOfHold.get(holdId)?.id ?? null));
  const event = (kind: string, fields: Partial<ScanEvent>): ScanEvent => ({ kind, hold_id: null, patron_id: null, transit_id: null, loan_id: null, new_transit: false, data: {}, ...fields });
  const events: ScanEvent[] = [];
  if (e.receiveTransitId !== null) {
    events.push(event('transit-received', { transit_id: e.receiveTransitId, hold_id: loaded.transit?.holdId ?? null, data: { kind: loaded.transit?.kind } }));
  }
  if (e.closeLoanId !== null) events.push(event('item-returned', { loan_id: e.closeLoanId, patron_id: loaded.loan?.patronId ?? null }));
  if (e.markFound) events.push(event('item-found', { data: { before: item.status } }));
  if (e.captureHoldId !== null) {
    const hold = loaded.holds.find((h) => h.id === e.captureHoldId)!;
    events.push(
      event('hold-captured', {
        hold_id: hold.id,
        patron_id: patronOf(hold.id),
        data: { pickupLibrary: facts.ref(hold.pickupLibraryId).code, lendingLibrary: facts.ref(item.owningLibraryId).code },
      }),
    );
  }
  if (e.shelveHoldId !== null) {
    events.push(event('hold-shelved', { hold_id: e.shelveHoldId, patron_id: patronOf(e.shelveHoldId), data: { shelfExpiresAt: shelfExpiresAt?.toISOString(), notice: d.notice } }));
  }
  if (e.newTransit !== null) {
    events.push(
      event('transit-sent', {
        new_transit: true,
        hold_id: e.newTransit.holdId,
        patron_id: patronOf(e.newTransit.holdId),
        data: { kind: e.newTransit.kind, to: facts.ref(e.newTransit.toLibraryId).code },
      }),
    );
  }
  if (e.itemStatus !== item.status) events.push(event('item-status-changed', { data: { before: item.status, after: e.itemStatus, by: 'scan' } }));
  return events;
}
