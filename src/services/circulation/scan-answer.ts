import type { ItemStatus } from '../../domain/item-status';
import type { ScanDecision, ScanNote } from '../../domain/scan/decide-scan';
import type { LibraryFacts } from '../holds/library-facts';
import { toHoldView, type HoldView, type HoldViewRow } from '../holds/hold-view';
import type { LibraryRef } from '../library-view';
import type { LoadedItem } from './scan-snapshot';

// The answer at the desk: one next action for the person holding the item, and the slips to print.

export interface Slip {
  kind: 'transit' | 'hold-shelf';
  copies: number;
  url: string;
}

export interface ScanAnswer {
  action: ScanDecision['action'];
  item: { barcode: string; status: ItemStatus; library: LibraryRef; title: string; callNumber: string };
  destination?: LibraryRef;
  hold?: HoldView;
  patron?: { barcode: string; name: string; phone?: string; email?: string };
  notice?: 'email' | 'phone-call';
  messages: string[];
  slips: Slip[];
}

function noteText(note: ScanNote, destination: LibraryRef | undefined, patronName: string | undefined): string {
  switch (note) {
    case 'received':
      return 'Received from transit.';
    case 'returned':
      return 'Checked in: the loan is closed.';
    case 'found':
      return 'This item was marked missing or lost: it is found now.';
    case 'hold-cancelled-in-transit':
      return 'The hold this item travelled for was cancelled: it goes where it is needed now.';
    case 'in-transit-elsewhere':
      return `This item is in transit to ${destination?.name ?? 'another library'}: nothing was changed here.`;
    case 'damaged':
      return 'This item is damaged: it fills no holds.';
    case 'already-on-holds-shelf':
      return `Already on the holds shelf${patronName ? ` for ${patronName}` : ''}: nothing was changed.`;
  }
}

function actionText(d: ScanDecision, destination: LibraryRef | undefined, patronName: string | undefined, holdTransit: boolean): string {
  switch (d.action) {
    case 'shelve':
      return 'Shelve here.';
    case 'holds-shelf':
      return `Put on the holds shelf for ${patronName ?? 'the patron'}.`;
    case 'transit':
      return holdTransit
        ? `Send to ${destination?.name} (${destination?.code}) for ${patronName ?? 'a patron'}.`
        : `Send home to ${destination?.name} (${destination?.code}).`;
  }
}

/** The answer, from what the scan loaded and wrote: no further database work. */
export function scanAnswer(loaded: LoadedItem, d: ScanDecision, libraries: LibraryFacts, holdRow: HoldViewRow | null, transitId: number | null): ScanAnswer {
  const item = loaded.item;
  const destination = d.destinationLibraryId === null ? undefined : libraries.ref(d.destinationLibraryId);
  const hold = holdRow ? toHoldView(holdRow) : undefined;
  const patron = d.holdId === null ? undefined : loaded.patronOfHold.get(d.holdId);
  // a hold transit sent now, or one still travelling that this scan did not receive
  const holdTransit = d.effects.newTransit?.kind === 'hold' || (d.effects.receiveTransitId === null && loaded.transit?.kind === 'hold');
  const slips: Slip[] = [];
  if (d.action === 'transit' && transitId !== null) {
    // at a library it merely passes through, the slip it carries is enough: offered, not printed
    const passing = d.notes.includes('in-transit-elsewhere');
    slips.push({ kind: 'transit', copies: holdTransit && !passing ? 2 : 0, url: `/api/v1/slips/transit/${transitId}` });
  }
  if (d.action === 'holds-shelf' && d.holdId !== null) slips.push({ kind: 'hold-shelf', copies: 1, url: `/api/v1/slips/hold-shelf/${d.holdId}` });
  return {
    action: d.action,
    item: { barcode: item.barcode, status: d.effects.itemStatus, library: libraries.ref(item.owningLibraryId), title: loaded.title, callNumber: loaded.callNumber },
    ...(destination ? { destination } : {}),
    ...(hold ? { hold } : {}),
    ...(patron ? { patron: { barcode: patron.barcode, name: patron.name, ...(patron.phone ? { phone: patron.phone } : {}), ...(patron.email ? { email: patron.email } : {}) } } : {}),
    ...(d.notice ? { notice: d.notice } : {}),
    messages: [actionText(d, destination, patron?.name, holdTransit), ...d.notes.map((n) => noteText(n, destination, patron?.name))],
    slips,
  };
}
