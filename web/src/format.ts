// Dates and times as the library sees them: timestamps (UTC in the API) shown in the time zone
// of the library the person works at or belongs to; plain dates (YYYY-MM-DD) shown as they are.

let zone: string | undefined;

/** The time zone of the working library (staff) or home library (patron). */
export function setTimeZone(timeZone: string | undefined): void {
  zone = timeZone;
}

export function timeZone(): string {
  return zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function fmt(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone: timeZone(), ...options });
}

/** e.g. "Mar 3, 2025, 10:05 AM" */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return fmt({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** The local day of a timestamp, e.g. "Mar 3, 2025". */
export function day(iso: string | null | undefined): string {
  if (!iso) return '';
  return fmt({ dateStyle: 'medium' }).format(new Date(iso));
}

export function time(iso: string | null | undefined): string {
  if (!iso) return '';
  return fmt({ timeStyle: 'short' }).format(new Date(iso));
}

/** A plain date (no time zone): "Tuesday, March 25, 2025". */
export function plainDateLong(date: string | null | undefined): string {
  if (!date) return '';
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(`${date}T00:00:00Z`));
}

/** A plain date: "Mar 25, 2025". */
export function plainDate(date: string | null | undefined): string {
  if (!date) return '';
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${date}T00:00:00Z`));
}

/** Today's date (YYYY-MM-DD) in the library's time zone. */
export function todayLocal(now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timeZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const statusWords: Record<string, string> = {
  available: 'Available',
  'checked-out': 'Checked out',
  'in-transit': 'In transit',
  'on-holds-shelf': 'On holds shelf',
  missing: 'Missing',
  damaged: 'Damaged',
  lost: 'Lost',
  'in-process': 'In process',
  'transit-cancelled': 'Transit cancelled',
  waiting: 'Waiting for a copy',
  targeted: 'A copy is being fetched',
  fulfilled: 'Fulfilled',
  cancelled: 'Cancelled',
  suspended: 'Suspended',
};

export function statusLabel(status: string): string {
  return statusWords[status] ?? status;
}

const reasons: Record<string, string> = {
  'patron-request': 'Patron asked',
  staff: 'Staff decision',
  'lender-unable': 'Lending library unable',
  'not-picked-up': 'Not picked up',
  other: 'Other',
};

export function cancelReasonLabel(reason: string | null | undefined): string {
  return reason ? (reasons[reason] ?? reason) : '';
}

export function libraryLabel(library: { code: string; name: string } | null | undefined): string {
  return library ? `${library.name} (${library.code})` : '';
}
