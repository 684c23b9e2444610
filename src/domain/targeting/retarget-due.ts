import { addDays, isClosedDay, type LibraryCalendar } from '../calendar/library-calendar';

const hourMs = 3_600_000;

/**
 * When a target not yet captured is due for retargeting: `hours` after it was targeted, plus a
 * whole day for every calendar day in between on which the target's library is closed (it had no
 * chance to pull the item then). `localDateOf` gives the library's date of an instant.
 */
export function retargetDueAt(targetedAt: Date, hours: number, calendar: LibraryCalendar, localDateOf: (at: Date) => string): Date {
  let due = targetedAt.getTime() + hours * hourMs;
  let day = addDays(localDateOf(targetedAt), 1);
  // each closed day pushes the deadline a day further, which may reach more closed days
  for (let guard = 0; guard < 400 && day <= localDateOf(new Date(due)); guard++) {
    if (isClosedDay(calendar, day)) due += 24 * hourMs;
    day = addDays(day, 1);
  }
  return new Date(due);
}
