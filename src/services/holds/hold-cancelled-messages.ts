import type { Tx } from '../context';
import type { LibraryFacts } from './library-facts';
import { sendLibraryMessage } from '../library-messages';

// The messages a cancelled hold sends to the other libraries it involved (DESIGN §4 "Cancelling"):
// the library whose item it targeted or captured, and the pickup library. Each names the hold,
// the item and the patron, and says what that library should do with the item now.

export type CancelReason = 'patron-request' | 'staff' | 'lender-unable' | 'not-picked-up' | 'other';

export interface CancelledHold {
  id: number;
  /** The hold's status just before it was cancelled. */
  status: string;
  title: string;
  patron: { id: number; barcode: string; name: string; homeLibraryId: number };
  pickupLibraryId: number;
  /** The item it targeted (status targeted) or captured (in transit, on the holds shelf). */
  item: { id: number; barcode: string; owningLibraryId: number; captured: boolean } | null;
  reason: CancelReason;
  note: string | null;
}

export function reasonText(reason: CancelReason): string {
  switch (reason) {
    case 'patron-request':
      return 'the patron asked for it';
    case 'staff':
      return 'library staff cancelled it';
    case 'lender-unable':
      return 'the lending library cannot fill it';
    case 'not-picked-up':
      return 'it was not picked up in time';
    case 'other':
      return 'other reasons';
  }
}

/** Who cancelled: staff at a desk, a patron (acting for their home library), or the consortium office. */
export interface Canceller {
  /** The library whose staff cancelled it; null for a patron or the consortium office. */
  deskLibraryId: number | null;
  /** The library that knows of it already: the desk, or a patron's home library. */
  actsForLibraryId: number | null;
  /** "staff of Abbot Library", "the patron", "the consortium office". */
  who: string;
}

/**
 * Who must hear of it: each involved library other than the one the canceller acts for. The
 * pickup library also hears of a captured item unless its own staff cancelled: the item is on
 * (or travelling to) its holds shelf and someone there must scan it to route it.
 */
export function messageRecipients(hold: CancelledHold, canceller: Canceller): number[] {
  const recipients = new Set<number>();
  if (hold.item && hold.item.owningLibraryId !== canceller.actsForLibraryId) recipients.add(hold.item.owningLibraryId);
  if (hold.pickupLibraryId !== canceller.actsForLibraryId) recipients.add(hold.pickupLibraryId);
  if (hold.item?.captured && hold.pickupLibraryId !== canceller.deskLibraryId) recipients.add(hold.pickupLibraryId);
  return [...recipients];
}

function whatToDo(hold: CancelledHold, to: number, libraries: LibraryFacts): string {
  const item = hold.item;
  if (!item) return 'No item had been set aside for it yet: nothing needs doing.';
  const pickup = libraries.ref(hold.pickupLibraryId).name;
  if (!item.captured) return to === item.owningLibraryId ? `${item.barcode} is off your pull list: leave it on your shelf.` : 'Nothing had been sent to you for it yet: nothing needs doing.';
  if (hold.status === 'on-holds-shelf') {
    return to === hold.pickupLibraryId
      ? `Take ${item.barcode} off your holds shelf and scan it: the scan routes it to the next patron or home.`
      : `${item.barcode} is on the holds shelf at ${pickup}; its next scan there routes it on, home to you if no one else needs it.`;
  }
  return to === hold.pickupLibraryId
    ? `${item.barcode} is on its way to you: when it arrives, scan it and the scan routes it.`
    : `${item.barcode} is travelling to ${pickup}; its next scan routes it on, home to you if no one else needs it.`;
}

export async function sendHoldCancelledMessages(trx: Tx, hold: CancelledHold, canceller: Canceller, libraries: LibraryFacts, now: Date): Promise<number[]> {
  const recipients = messageRecipients(hold, canceller);
  const item = hold.item;
  const itemLine = item ? `Item: ${item.barcode} of ${libraries.ref(item.owningLibraryId).name}.` : 'Item: none had been set aside yet.';
  for (const to of recipients) {
    const body = [
      `Hold ${hold.id} for ${hold.patron.name} (${hold.patron.barcode}) on "${hold.title}", to pick up at ${libraries.ref(hold.pickupLibraryId).name}, was cancelled by ${canceller.who}: ${reasonText(hold.reason)}.`,
      itemLine,
      ...(hold.note ? [`Note: ${hold.note}`] : []),
      whatToDo(hold, to, libraries),
    ].join('\n');
    await sendLibraryMessage(
      trx,
      {
        fromLibraryId: canceller.deskLibraryId,
        toLibraryId: to,
        kind: 'hold-cancelled',
        holdId: hold.id,
        itemId: item?.id ?? null,
        patronId: hold.patron.id,
        subject: `Hold ${hold.id} cancelled: "${hold.title}"${item ? ` (${item.barcode})` : ''} for ${hold.patron.name}`,
        body,
      },
      now,
    );
  }
  return recipients;
}
