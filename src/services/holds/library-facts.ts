import { sql } from 'kysely';
import type { BounceSettings } from '../../domain/circulation/bouncing';
import { libraryTree, type LibraryTree } from '../../domain/library-tree';
import type { LibraryCalendar, OpeningHours } from '../../domain/calendar/library-calendar';
import type { Db } from '../context';
import type { LibraryRef } from '../library-view';
import { localDate } from '../local-date';

// Everything circulation needs to know about libraries: the tree, the lending program, each
// library's calendar, time zone, shelf days and notice texts. Loaded in one statement, so the
// facts and their version come from one snapshot; kept per database by version (see migration
// 002), so a hot path reuses them until any process changes a library or a closed date.

export interface LibraryFact {
  id: number;
  code: string;
  name: string;
  kind: 'library' | 'system';
  timezone: string;
  holdShelfDays: number;
  noticeTemplates: Record<string, { subject: string; body: string }>;
}

export interface LibraryFacts {
  version: string;
  /** The consortium's bouncing rule. */
  bounce: BounceSettings;
  tree: LibraryTree;
  library(id: number): LibraryFact;
  byCode(code: string): LibraryFact | undefined;
  ref(id: number): LibraryRef;
  calendar(id: number): LibraryCalendar;
  timezone(id: number): string;
  /** Today's date at the library, in its own time zone. */
  todayAt(id: number, now: Date): string;
}

interface FactsRow {
  version: string | number;
  libraries: {
    id: number;
    code: string;
    name: string;
    kind: 'library' | 'system';
    parent_id: number | null;
    participates_in_lending: boolean;
    timezone: string;
    opening_hours: OpeningHours;
    hold_shelf_days: number;
    notice_templates: Record<string, { subject: string; body: string }>;
  }[];
  closed: { library_id: number; from_date: string; to_date: string }[];
  bounce: BounceSettings | null;
}

export async function loadLibraryFacts(db: Db): Promise<LibraryFacts> {
  const { rows } = await sql<FactsRow>`
    SELECT (SELECT version FROM library_facts_version) AS version,
      (SELECT coalesce(json_agg(l ORDER BY l.id), '[]') FROM (
        SELECT id, code, name, kind, parent_id, participates_in_lending, timezone, opening_hours, hold_shelf_days, notice_templates
        FROM libraries) l) AS libraries,
      (SELECT coalesce(json_agg(c), '[]') FROM (SELECT library_id, from_date, to_date FROM library_closed_dates) c) AS closed,
      (SELECT json_build_object('bounceTransits', bounce_transits, 'bounceDays', bounce_days) FROM consortium) AS bounce`.execute(db);
  return libraryFactsOf(rows[0]!);
}

function libraryFactsOf(row: FactsRow): LibraryFacts {
  const libraries = row.libraries;
  const byId = new Map(libraries.map((l) => [l.id, l]));
  const codes = new Map(libraries.map((l) => [l.code, l.id]));
  const closedOf = new Map<number, { from: string; to: string }[]>();
  for (const c of row.closed) closedOf.set(c.library_id, [...(closedOf.get(c.library_id) ?? []), { from: c.from_date, to: c.to_date }]);
  const known = (id: number) => {
    const library = byId.get(id);
    if (!library) throw new Error(`library ${id} is not loaded`);
    return library;
  };
  const fact = (id: number): LibraryFact => {
    const l = known(id);
    return { id: l.id, code: l.code, name: l.name, kind: l.kind, timezone: l.timezone, holdShelfDays: l.hold_shelf_days, noticeTemplates: l.notice_templates };
  };
  return {
    version: String(row.version),
    // before the consortium is set up, its defaults
    bounce: row.bounce ?? { bounceTransits: 4, bounceDays: 10 },
    tree: libraryTree(libraries.map((l) => ({ id: l.id, code: l.code, parentId: l.parent_id, participatesInLending: l.participates_in_lending }))),
    library: fact,
    byCode: (code) => {
      const id = codes.get(code);
      return id === undefined ? undefined : fact(id);
    },
    ref: (id) => ({ code: known(id).code, name: known(id).name }),
    calendar: (id) => ({ openingHours: byId.get(id)?.opening_hours ?? {}, closedDates: closedOf.get(id) ?? [] }),
    timezone: (id) => known(id).timezone,
    todayAt: (id, now) => localDate(now, known(id).timezone),
  };
}

// Keyed by the database handle a service context carries, never by a transaction.
const cached = new WeakMap<object, LibraryFacts>();

/** The facts at `version` (read by the caller in its own query): from memory when unchanged. */
export async function libraryFactsAt(cacheKey: object, trx: Db, version: string): Promise<LibraryFacts> {
  const known = cached.get(cacheKey);
  if (known && known.version === version) return known;
  const facts = await loadLibraryFacts(trx);
  cached.set(cacheKey, facts);
  return facts;
}
