import { addDays, hoursOn, nextOpenDay, type LibraryCalendar } from '../calendar/library-calendar';
import { dateAt, zonedTimeToInstant } from '../calendar/zoned-time';

export interface PickupLibrary {
  calendar: LibraryCalendar;
  timezone: string;
  holdShelfDays: number;
}

/**
 * When an item shelved for a patron expires from the holds shelf: the shelving day plus the
 * pickup library's shelf days, at that library's closing time, moved forward past closed days
 * so the patron always has the full number of days the library is open at the end.
 */
export function shelfExpiresAt(shelvedAt: Date, library: PickupLibrary): Date {
  const day = nextOpenDay(library.calendar, addDays(dateAt(shelvedAt, library.timezone), library.holdShelfDays));
  const hours = hoursOn(library.calendar, day);
  return zonedTimeToInstant(day, hours ? hours[1] : '23:59', library.timezone);
}

/**
 * The due date of a loan: the checkout day plus the owning library's loan days, moved forward
 * past the days the checkout library (where the patron returns it) is closed.
 */
export function dueDate(checkedOutAt: Date, loanDays: number, checkoutLibrary: { calendar: LibraryCalendar; timezone: string }): string {
  return nextOpenDay(checkoutLibrary.calendar, addDays(dateAt(checkedOutAt, checkoutLibrary.timezone), loanDays));
}
