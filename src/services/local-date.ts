// A library's calendar date: what "today" is at its desk, in its own time zone, whatever the
// server's zone. Catalog dates and age protection are counted in it.
export { dateAt as localDate } from '../domain/calendar/zoned-time';
