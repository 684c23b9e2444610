import type { LibraryRef } from '../library-view';
import type { HoldShelfSlipData, SlipPatron, TransitSlipData } from './slip-data';

// What a slip says, line by line, before it is HTML or PDF: both renderers draw the same lines,
// so the printed page and the PDF never disagree.

export type SlipLine =
  /** a small heading naming the kind of slip */
  | { kind: 'kicker'; text: string }
  /** the largest text on the slip: where the item goes, or whose it is on the shelf */
  | { kind: 'headline'; label: string; text: string; code?: string }
  | { kind: 'section'; text: string }
  | { kind: 'field'; label: string; text: string }
  /** a scannable barcode with its digits */
  | { kind: 'barcode'; text: string }
  /** a warning in a box: the slip must not be followed blindly */
  | { kind: 'note'; text: string };

export interface SlipContent {
  /** the document title (browser tab, PDF metadata) */
  title: string;
  /** file name without extension, for the PDF download */
  fileName: string;
  lines: SlipLine[];
  /** printed copies: a hold transit prints two, one for each library */
  copies: number;
}

/** Long MARC titles (with subtitles and statements) would push the rest off a small slip. */
const maxTitle = 160;

export function shortTitle(title: string): string {
  return title.length <= maxTitle ? title : `${title.slice(0, maxTitle - 1).trimEnd()}…`;
}

/** The name as holds shelves sort it: "ROBBINS, Samuel". */
export function shelfName(patron: Pick<SlipPatron, 'firstName' | 'lastName'>): string {
  return `${patron.lastName.toLocaleUpperCase('en-US')}, ${patron.firstName}`;
}

/** Only the end of the card number on a shelf slip that anyone at the shelf can read. */
export function cardEnding(barcode: string): string {
  return `…${barcode.slice(-4)}`;
}

export function libraryLabel(library: LibraryRef): string {
  return `${library.name} (${library.code})`;
}

/** A date and time on a library's wall clock, e.g. "Mon, Mar 3, 2025, 10:00 AM EST". */
export function localDateTime(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }).format(at);
}

/** A date on a library's calendar, e.g. "Mon, Mar 10, 2025". */
export function localDate(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }).format(at);
}

export function transitSlipContent(slip: TransitSlipData): SlipContent {
  const lines: SlipLine[] = [
    { kind: 'kicker', text: `${slip.kind === 'hold' ? 'Hold transit' : 'Return transit'} ${slip.transitId}` },
    { kind: 'headline', label: 'Send to', text: slip.destination.name, code: slip.destination.code },
  ];
  if (slip.cancelled) lines.push({ kind: 'note', text: 'This transit was cancelled: do not send the item with this slip. Scan it to route it.' });
  lines.push(
    { kind: 'field', label: 'From', text: libraryLabel(slip.source) },
    { kind: 'field', label: 'Sent', text: localDateTime(slip.sentAt, slip.sourceTimezone) },
    { kind: 'section', text: 'Item' },
    { kind: 'barcode', text: slip.item.barcode },
    { kind: 'field', label: 'Title', text: shortTitle(slip.item.title) },
    { kind: 'field', label: 'Call number', text: slip.item.callNumber },
  );
  if (slip.hold) {
    lines.push(
      { kind: 'section', text: 'Hold for' },
      { kind: 'field', label: 'Patron', text: shelfName(slip.hold.patron) },
      { kind: 'field', label: 'Patron barcode', text: slip.hold.patron.barcode },
      { kind: 'field', label: 'Pickup library', text: libraryLabel(slip.hold.pickupLibrary) },
    );
    // a hold cancelled while its item travels: the receiving desk's scan routes the item
    if (slip.hold.cancelled) lines.push({ kind: 'note', text: 'This hold has been cancelled: scan the item on arrival and follow the screen.' });
  } else {
    lines.push({ kind: 'note', text: `Returning home to ${slip.destination.name}: no patron is waiting for it.` });
  }
  return {
    title: `Transit slip: ${slip.item.barcode} to ${slip.destination.name}`,
    fileName: `transit-slip-${slip.transitId}`,
    lines,
    copies: slip.kind === 'hold' ? 2 : 1,
  };
}

export function holdShelfSlipContent(slip: HoldShelfSlipData): SlipContent {
  return {
    title: `Holds shelf slip: ${shelfName(slip.patron)}`,
    fileName: `hold-shelf-slip-${slip.holdId}`,
    lines: [
      { kind: 'kicker', text: `Holds shelf · hold ${slip.holdId}` },
      { kind: 'headline', label: 'For', text: shelfName(slip.patron) },
      { kind: 'field', label: 'Card', text: cardEnding(slip.patron.barcode) },
      { kind: 'field', label: 'Pickup by', text: localDate(slip.shelfExpiresAt, slip.pickupTimezone) },
      { kind: 'field', label: 'Pickup library', text: libraryLabel(slip.pickupLibrary) },
      { kind: 'field', label: 'Title', text: shortTitle(slip.title) },
      { kind: 'barcode', text: slip.itemBarcode },
    ],
    copies: 1,
  };
}
