import { libraryTree, type LibraryTree } from '../../domain/library-tree';
import type { LibraryCalendar } from '../../domain/calendar/library-calendar';
import type { Db } from '../context';
import type { LibraryRef } from '../library-view';
import { localDate } from '../local-date';

// Everything targeting needs to know about libraries, loaded once per request or sweep: the
// tree, the lending program, each library's calendar and time zone.
export interface LibraryFacts {
  tree: LibraryTree;
  ref(id: number): LibraryRef;
  calendar(id: number): LibraryCalendar;
  timezone(id: number): string;
  /** Today's date at the library, in its own time zone. */
  todayAt(id: number, now: Date): string;
}

export async function loadLibraryFacts(db: Db): Promise<LibraryFacts> {
  const [libraries, closed] = await Promise.all([
    db.selectFrom('libraries').select(['id', 'code', 'name', 'parent_id', 'participates_in_lending', 'timezone', 'opening_hours']).execute(),
    db.selectFrom('library_closed_dates').select(['library_id', 'from_date', 'to_date']).execute(),
  ]);
  const byId = new Map(libraries.map((l) => [l.id, l]));
  const calendars = new Map<number, LibraryCalendar>(
    libraries.map((l) => [
      l.id,
      { openingHours: l.opening_hours, closedDates: closed.filter((c) => c.library_id === l.id).map((c) => ({ from: c.from_date, to: c.to_date })) },
    ]),
  );
  const known = (id: number) => {
    const library = byId.get(id);
    if (!library) throw new Error(`library ${id} is not loaded`);
    return library;
  };
  return {
    tree: libraryTree(libraries.map((l) => ({ id: l.id, code: l.code, parentId: l.parent_id, participatesInLending: l.participates_in_lending }))),
    ref: (id) => ({ code: known(id).code, name: known(id).name }),
    calendar: (id) => calendars.get(id) ?? { openingHours: {}, closedDates: [] },
    timezone: (id) => known(id).timezone,
    todayAt: (id, now) => localDate(now, known(id).timezone),
  };
}
