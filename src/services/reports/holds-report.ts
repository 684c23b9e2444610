import { sql } from 'kysely';
import { requireOwnLibrary, requireStaff } from '../../domain/actor';
import { zonedTimeToInstant } from '../../domain/calendar/zoned-time';
import { notFound, ok, type Result } from '../../domain/refusal';
import type { ServiceContext } from '../context';
import { findLibraryByCode, type LibraryRef } from '../library-view';
import { localDate } from '../local-date';
import type { PatronRef } from '../patron-view';
import { checkPeriod, dayAfter, type ReportPeriod } from './report-period';

// The holds report of one library (DESIGN §4 "Reports", API.md "Notices and reports"): the holds
// of its patrons, wherever the copy came from, and the holds of other libraries' patrons that its
// copies were captured for or filled. A hold is in the period when it was placed, filled or
// cancelled in it. Read from the hold events alone (see hold-event-facts.ts), so purging holds or
// anonymising patrons leaves past reports as they were.

export interface HoldsReportRow {
  holdId: number;
  patron: PatronRef;
  homeLibrary: LibraryRef;
  title: string;
  /** The owning library of the copy captured for the hold or that filled it; null while none was. */
  lendingLibrary: LibraryRef | null;
  pickupLibrary: LibraryRef;
  placedAt: string | null;
  filledAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface HoldsReport {
  library: LibraryRef;
  from: string;
  to: string;
  placedByOurPatrons: HoldsReportRow[];
  placedByOtherPatrons: HoldsReportRow[];
  totals: { placed: number; borrowed: number; lent: number; cancelled: number };
}

interface LifeRow {
  hold_id: number;
  placed_at: Date | null;
  filled_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  patron_barcode: string | null;
  patron_name: string | null;
  title: string | null;
  home_code: string | null;
  home_name: string | null;
  lending_code: string | null;
  lending_name: string | null;
  pickup_code: string | null;
  pickup_name: string | null;
}

/** Staff read their own library's report; a consortium administrator any library's. */
export async function holdsReport(ctx: ServiceContext, code: string, from: string, to: string): Promise<Result<HoldsReport>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const period = checkPeriod(from, to);
  if (!period.ok) return period;
  const library = await findLibraryByCode(ctx.db, code);
  if (!library) return notFound(`Library ${code}`);
  const own = requireOwnLibrary(staff.value, library.id, library.code);
  if (!own.ok) return own;

  const rows = await holdLives(ctx, library.code, library.timezone, period.value);
  const inPeriod = (at: Date | null): boolean => {
    if (at === null) return false;
    const day = localDate(at, library.timezone);
    return day >= period.value.from && day <= period.value.to;
  };
  const ours: HoldsReportRow[] = [];
  const others: HoldsReportRow[] = [];
  const totals = { placed: 0, borrowed: 0, lent: 0, cancelled: 0 };
  for (const r of rows) {
    if (!inPeriod(r.placed_at) && !inPeriod(r.filled_at) && !inPeriod(r.cancelled_at)) continue;
    const row = toReportRow(r);
    if (row === null) continue;
    const lentByAnother = row.lendingLibrary !== null && row.lendingLibrary.code !== library.code;
    if (row.homeLibrary.code === library.code) {
      ours.push(row);
      if (inPeriod(r.placed_at)) totals.placed++;
      if (inPeriod(r.filled_at) && lentByAnother) totals.borrowed++;
      if (inPeriod(r.cancelled_at)) totals.cancelled++;
    } else if (row.lendingLibrary?.code === library.code) {
      others.push(row);
      if (inPeriod(r.filled_at)) totals.lent++;
    }
  }
  return ok({ library: { code: library.code, name: library.name }, ...period.value, placedByOurPatrons: ours, placedByOtherPatrons: others, totals });
}

/**
 * Each hold the library took part in around the period, with its life read from its events:
 * placed, filled and cancelled times, the facts of the first event that carries them, and the
 * latest lending and pickup library. Candidates come from the library's own hold events (the
 * partial indexes of migration 003); copies are captured after a hold is placed, so lending
 * events before the period cannot matter unless a fill or cancel in the period repeats them.
 */
async function holdLives(ctx: ServiceContext, code: string, timezone: string, period: ReportPeriod): Promise<LifeRow[]> {
  const start = zonedTimeToInstant(period.from, '00:00', timezone);
  const end = zonedTimeToInstant(dayAfter(period.to), '00:00', timezone);
  const { rows } = await sql<LifeRow>`
    WITH candidates AS (
      SELECT hold_id FROM events
      WHERE kind IN ('hold-placed', 'hold-fulfilled', 'hold-cancelled')
        AND data->>'homeLibrary' = ${code} AND at >= ${start} AND at < ${end}
      UNION
      SELECT hold_id FROM events
      WHERE kind IN ('hold-captured', 'hold-fulfilled', 'hold-cancelled')
        AND data->>'lendingLibrary' = ${code} AND at >= ${start}
    ),
    life AS (
      SELECT e.hold_id,
        min(e.at) FILTER (WHERE e.kind = 'hold-placed') AS placed_at,
        max(e.at) FILTER (WHERE e.kind = 'hold-fulfilled') AS filled_at,
        max(e.at) FILTER (WHERE e.kind = 'hold-cancelled') AS cancelled_at,
        (array_agg(e.reason ORDER BY e.id DESC) FILTER (WHERE e.kind = 'hold-cancelled'))[1] AS cancel_reason,
        (array_agg(e.data ORDER BY e.id) FILTER (WHERE e.data->>'homeLibrary' IS NOT NULL))[1] AS facts,
        (array_agg(e.data->>'lendingLibrary' ORDER BY e.id DESC) FILTER (WHERE e.data->>'lendingLibrary' IS NOT NULL))[1] AS lending_code,
        (array_agg(coalesce(e.data->>'pickupLibrary', e.data->>'pickupLibraryCode') ORDER BY e.id DESC)
          FILTER (WHERE coalesce(e.data->>'pickupLibrary', e.data->>'pickupLibraryCode') IS NOT NULL))[1] AS pickup_code
      FROM events e
      WHERE e.hold_id IN (SELECT hold_id FROM candidates)
        AND e.kind IN ('hold-placed', 'hold-updated', 'hold-captured', 'hold-fulfilled', 'hold-cancelled')
      GROUP BY e.hold_id
    )
    SELECT life.hold_id, life.placed_at, life.filled_at, life.cancelled_at, life.cancel_reason,
      life.facts->'patron'->>'barcode' AS patron_barcode, life.facts->'patron'->>'name' AS patron_name,
      life.facts->>'title' AS title,
      home.code AS home_code, home.name AS home_name,
      lender.code AS lending_code, lender.name AS lending_name,
      pickup.code AS pickup_code, pickup.name AS pickup_name
    FROM life
    LEFT JOIN libraries home ON home.code = life.facts->>'homeLibrary'
    LEFT JOIN libraries lender ON lender.code = life.lending_code
    LEFT JOIN libraries pickup ON pickup.code = life.pickup_code
    ORDER BY coalesce(life.placed_at, life.filled_at, life.cancelled_at), life.hold_id`.execute(ctx.db);
  return rows;
}

/** A row, or null for a hold whose events do not say whose it was (written before they carried it). */
function toReportRow(r: LifeRow): HoldsReportRow | null {
  if (r.home_code === null || r.home_name === null || r.patron_barcode === null || r.patron_name === null || r.title === null || r.pickup_code === null || r.pickup_name === null) return null;
  return {
    holdId: Number(r.hold_id),
    patron: { barcode: r.patron_barcode, name: r.patron_name },
    homeLibrary: { code: r.home_code, name: r.home_name },
    title: r.title,
    lendingLibrary: r.lending_code !== null && r.lending_name !== null ? { code: r.lending_code, name: r.lending_name } : null,
    pickupLibrary: { code: r.pickup_code, name: r.pickup_name },
    placedAt: iso(r.placed_at),
    filledAt: iso(r.filled_at),
    cancelledAt: iso(r.cancelled_at),
    cancelReason: r.cancel_reason,
  };
}

function iso(at: Date | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}
