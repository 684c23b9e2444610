import type { OpeningHours, Weekday } from '../calendar/library-calendar';
import { formatterOf } from '../calendar/zoned-time';

// How times, dates and opening hours read in a notice: in words, in the library's own time zone,
// as a patron would say them ("Monday, March 10, 5:00 PM"), never as ISO strings.

// one formatter per zone (see formatterOf): every hold-ready notice words its deadline
const momentFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });

/** A moment as the library's clock shows it: the pick-up deadline of a held item. */
export function momentInWords(at: Date, timezone: string): string {
  const make = () => new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  return formatterOf(momentFormats, timezone, make).format(at);
}

/** A plain 'YYYY-MM-DD' date (a due date) as "Wednesday, March 5, 2025". */
export function dateInWords(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  // noon UTC, read in UTC: the same calendar day whatever the zone
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)));
}

const week: { day: Weekday; name: string }[] = [
  { day: 'mon', name: 'Monday' },
  { day: 'tue', name: 'Tuesday' },
  { day: 'wed', name: 'Wednesday' },
  { day: 'thu', name: 'Thursday' },
  { day: 'fri', name: 'Friday' },
  { day: 'sat', name: 'Saturday' },
  { day: 'sun', name: 'Sunday' },
];

/** The week's hours, days with the same hours run together: "Monday–Saturday 09:00–17:00; Sunday closed". */
export function openingHoursInWords(hours: OpeningHours): string {
  const runs: { from: string; to: string; hours: string }[] = [];
  for (const { day, name } of week) {
    const h = hours[day];
    const text = h ? `${h[0]}–${h[1]}` : 'closed';
    const last = runs[runs.length - 1];
    if (last && last.hours === text) last.to = name;
    else runs.push({ from: name, to: name, hours: text });
  }
  if (runs.every((r) => r.hours === 'closed')) return 'please ask the library';
  return runs.map((r) => `${r.from === r.to ? r.from : `${r.from}–${r.to}`} ${r.hours}`).join('; ');
}
