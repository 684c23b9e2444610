import { addDays } from '../calendar/library-calendar';

// Notices that fall due with the calendar (DESIGN §4 "Notices"): a courtesy notice some days
// before a loan's due date, an overdue notice from the day after it, a reminder the day before
// a held item leaves the holds shelf. Each goes at most once (the database holds it to that);
// these rules say only whether today is the day.

export interface LoanDates {
  /** The due date, in the lending desk's calendar. */
  dueDate: string;
  /** The day it was lent, in the same calendar. */
  lentOn: string;
}

/**
 * Which loan notice is due `today`: overdue once the due date has passed; courtesy from
 * `courtesyDays` before the due date until the due date — unless the loan began inside that
 * window, when the patron has just been handed the due date on the slip.
 */
export function loanNoticeDue(loan: LoanDates, today: string, courtesyDays: number): 'courtesy' | 'overdue' | null {
  if (today > loan.dueDate) return 'overdue';
  const windowOpens = addDays(loan.dueDate, -courtesyDays);
  if (today >= windowOpens && loan.lentOn < windowOpens) return 'courtesy';
  return null;
}

const dayMs = 86_400_000;

/**
 * Whether the shelf-expiry reminder is due: within the last day before expiry, and only for an
 * item shelved earlier than that (one shelved for a single day has just had its hold-ready notice).
 */
export function shelfReminderDue(shelvedAt: Date, expiresAt: Date, now: Date): boolean {
  const from = expiresAt.getTime() - dayMs;
  return now.getTime() >= from && now.getTime() < expiresAt.getTime() && shelvedAt.getTime() < from;
}
