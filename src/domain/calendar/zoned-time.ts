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
  const parts = formatterOf(calendarDates, timezone, () => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' })).formatToParts(at);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
