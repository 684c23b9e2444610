// The reference model's own reckoning of library days, written apart from src/domain/calendar so
// that the model checks the product's due dates and shelf expiries instead of repeating them.
// Every fixture library keeps the default week (Monday to Saturday, 09:00–17:00) in New York time.

export const fixtureTimezone = 'America/New_York';
const closingHour = 17;

export interface Closure {
  from: string;
  to: string;
}

const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: fixtureTimezone, year: 'numeric', month: '2-digit', day: '2-digit' });
const hourFormat = new Intl.DateTimeFormat('en-GB', { timeZone: fixtureTimezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The library's calendar date at an instant, 'YYYY-MM-DD'. */
export function localDate(at: Date): string {
  return dateFormat.format(at);
}

/** The library's wall-clock time at an instant, 'HH:MM'. */
export function localTime(at: Date): string {
  return hourFormat.format(at);
}

export function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function isClosed(date: string, closures: readonly Closure[]): boolean {
  return new Date(`${date}T12:00:00Z`).getUTCDay() === 0 || closures.some((c) => c.from <= date && date <= c.to);
}

export function firstOpenDay(date: string, closures: readonly Closure[]): string {
  let day = date;
  while (isClosed(day, closures)) day = plusDays(day, 1);
  return day;
}

/** A loan's due date: `loanDays` after the checkout day, on a day the checkout library opens. */
export function expectedDueDate(checkedOutAt: Date, loanDays: number, closures: readonly Closure[]): string {
  return firstOpenDay(plusDays(localDate(checkedOutAt), loanDays), closures);
}

/** A shelf expiry as date and closing time: `shelfDays` after shelving, on an open day. */
export function expectedShelfExpiry(shelvedAt: Date, shelfDays: number, closures: readonly Closure[]): { date: string; time: string } {
  return { date: firstOpenDay(plusDays(localDate(shelvedAt), shelfDays), closures), time: `${closingHour}:00` };
}
