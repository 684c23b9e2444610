// A library's week and its closed dates. Dates are plain 'YYYY-MM-DD' strings in the library's
// own time zone; weekdays are computed from the date alone.

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export type OpeningHours = Partial<Record<Weekday, [string, string] | null>>;

export interface LibraryCalendar {
  openingHours: OpeningHours;
  closedDates: readonly { from: string; to: string }[];
}

const weekdays: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parts(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function weekdayOf(date: string): Weekday {
  const [y, m, d] = parts(date);
  return weekdays[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parts(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The hours the library is open on that date, or null when it is closed all day. */
export function hoursOn(calendar: LibraryCalendar, date: string): [string, string] | null {
  if (calendar.closedDates.some((c) => c.from <= date && date <= c.to)) return null;
  return calendar.openingHours[weekdayOf(date)] ?? null;
}

export function isClosedDay(calendar: LibraryCalendar, date: string): boolean {
  return hoursOn(calendar, date) === null;
}

/** The first date on or after `date` when the library opens (a year ahead at most). */
export function nextOpenDay(calendar: LibraryCalendar, date: string): string {
  let day = date;
  for (let i = 0; i < 366 && isClosedDay(calendar, day); i++) day = addDays(day, 1);
  return day;
}
