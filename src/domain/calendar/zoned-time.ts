// Wall-clock times at a library and the instants they name. Uses the time-zone rules built into
// the JavaScript runtime (Intl): no I/O and no clock.

// Building a formatter costs far more than using one, and the sweep converts dates for every
// candidate copy: one formatter per zone and kind, kept for the life of the process.
const wallClocks = new Map<string, Intl.DateTimeFormat>();
const calendarDates = new Map<string, Intl.DateTimeFormat>();

export function formatterOf(cache: Map<string, Intl.DateTimeFormat>, timezone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let formatter = cache.get(timezone);
  if (!formatter) {
    formatter = make();
    cache.set(timezone, formatter);
  }
  return formatter;
}

function offsetMinutes(at: Date, timezone: string): number {
  const parts = formatterOf(
    wallClocks,
    timezone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  ).formatToParts(at);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which clocks in `timezone` show `date` `time` ('YYYY-MM-DD', 'HH:MM'). */
export function zonedTimeToInstant(date: string, time: string, timezone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // the offset at the wall time read as UTC is right except within hours of a change; one more
  // round with the offset found settles it
  const first = wall - offsetMinutes(new Date(wall), timezone) * 60_000;
  return new Date(wall - offsetMinutes(new Date(first), timezone) * 60_000);
}

/** The library's calendar date at an instant. */
export function dateAt(at: Date, timezone: string): string {
  const t = at.getTime();
  const days = knownDays.get(timezone);
  for (const day of days?.get(Math.floor(t / dayMs)) ?? []) if (t >= day.start && t < day.end) return day.date;
  const date = formattedDateAt(at, timezone);
  rememberDay(timezone, date);
  return date;
}

function formattedDateAt(at: Date, timezone: string): string {
  const parts = formatterOf(calendarDates, timezone, () => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })).formatToParts(at);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

// The sweep asks the date of every target's instant, and formatting is slow: each local day met
// is kept as the span of instants it covers, so the next instant of that day is a lookup. Only
// a day with one offset from midnight to midnight is kept — a day with a clock change is
// formatted every time — so every instant in a kept span has that date, exactly.
const dayMs = 86_400_000;
interface LocalDay {
  start: number;
  end: number;
  date: string;
}
/** Per zone: the kept days, under each UTC day number they overlap. */
const knownDays = new Map<string, Map<number, LocalDay[]>>();
const maxKeptDays = 20_000;

function rememberDay(timezone: string, date: string): void {
  const start = zonedTimeToInstant(date, '00:00', timezone).getTime();
  const end = start + dayMs;
  const offset = offsetMinutes(new Date(start), timezone);
  if (offsetMinutes(new Date(end - 1000), timezone) !== offset || offsetMinutes(new Date(end), timezone) !== offset) return;
  if (formattedDateAt(new Date(start), timezone) !== date || formattedDateAt(new Date(end), timezone) === date) return;
  let days = knownDays.get(timezone);
  if (!days) knownDays.set(timezone, (days = new Map()));
  if (days.size > maxKeptDays) days.clear();
  const day = { start, end, date };
  for (let n = Math.floor(start / dayMs); n <= Math.floor((end - 1) / dayMs); n++) {
    const list = days.get(n) ?? [];
    if (!list.some((d) => d.start === start)) list.push(day);
    days.set(n, list);
  }
}
