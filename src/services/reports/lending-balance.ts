import { sql } from 'kysely';
import { requireStaff } from '../../domain/actor';
import { ok, type Result } from '../../domain/refusal';
import type { ServiceContext } from '../context';
import type { LibraryRef } from '../library-view';
import { checkPeriod, dayAfter, type ReportPeriod } from './report-period';

// The lending balance (API.md "Notices and reports"): for each member library, how many holds of
// other libraries' patrons its copies filled (lent) and how many of its patrons' holds other
// libraries' copies filled (borrowed), in the period. Consortium-wide, so any staff may read it.
// Read from the hold-fulfilled events alone, each of which names the patron's home library and
// the copy's owner; a day counts on the calendar of the library the row is about.

export interface LendingBalanceRow {
  library: LibraryRef;
  /** YYYY-MM, with by=month only. */
  month?: string;
  lent: number;
  borrowed: number;
  /** lent / borrowed, rounded to 2 decimals; null when the library borrowed nothing. */
  ratio: number | null;
}

interface MonthCount {
  code: string;
  month: string;
  lent: number;
  borrowed: number;
}

const dayMs = 86_400_000;

export async function lendingBalance(ctx: ServiceContext, from: string, to: string, byMonth: boolean): Promise<Result<LendingBalanceRow[]>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const period = checkPeriod(from, to);
  if (!period.ok) return period;
  const [libraries, counts] = await Promise.all([
    ctx.db.selectFrom('libraries').select(['code', 'name']).where('kind', '=', 'library').orderBy('code').execute(),
    monthCounts(ctx, period.value),
  ]);
  const countOf = new Map(counts.map((c) => [`${c.code} ${c.month}`, c]));
  const months = monthsOf(period.value);
  const rows: LendingBalanceRow[] = [];
  for (const library of libraries) {
    const perMonth = months.map((month) => {
      const c = countOf.get(`${library.code} ${month}`);
      return { month, lent: c?.lent ?? 0, borrowed: c?.borrowed ?? 0 };
    });
    const ref = { code: library.code, name: library.name };
    if (byMonth) {
      for (const m of perMonth) rows.push({ library: ref, month: m.month, lent: m.lent, borrowed: m.borrowed, ratio: ratio(m.lent, m.borrowed) });
    } else {
      const lent = perMonth.reduce((sum, m) => sum + m.lent, 0);
      const borrowed = perMonth.reduce((sum, m) => sum + m.borrowed, 0);
      rows.push({ library: ref, lent, borrowed, ratio: ratio(lent, borrowed) });
    }
  }
  return ok(rows);
}

function ratio(lent: number, borrowed: number): number | null {
  return borrowed === 0 ? null : Math.round((lent / borrowed) * 100) / 100;
}

/** YYYY-MM of every month the period touches, in order. */
function monthsOf(period: ReportPeriod): string[] {
  const months: string[] = [];
  let [year, month] = period.from.split('-').map(Number);
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last) return months;
    month = month === 12 ? 1 : month + 1;
    if (month === 1) year++;
  }
}

/**
 * Fills between libraries per library and local month. The UTC window is a day wider on each
 * side than the period, enough for any time zone; each library's own calendar then decides.
 */
async function monthCounts(ctx: ServiceContext, period: ReportPeriod): Promise<MonthCount[]> {
  const start = new Date(Date.parse(`${period.from}T00:00:00Z`) - dayMs);
  const end = new Date(Date.parse(`${dayAfter(period.to)}T00:00:00Z`) + dayMs);
  const { rows } = await sql<MonthCount>`
    WITH filled AS (
      SELECT at, data->>'homeLibrary' AS home, data->>'lendingLibrary' AS lender
      FROM events
      WHERE kind = 'hold-fulfilled' AND at >= ${start} AND at < ${end}
        AND data->>'lendingLibrary' <> data->>'homeLibrary'
    ),
    sides AS (
      SELECT lender AS code, at, 1 AS lent, 0 AS borrowed FROM filled
      UNION ALL
      SELECT home, at, 0, 1 FROM filled
    )
    SELECT l.code, to_char(s.at AT TIME ZONE l.timezone, 'YYYY-MM') AS month,
      sum(s.lent)::int AS lent, sum(s.borrowed)::int AS borrowed
    FROM sides s JOIN libraries l ON l.code = s.code
    WHERE (s.at AT TIME ZONE l.timezone)::date BETWEEN ${period.from}::date AND ${period.to}::date
    GROUP BY l.code, month`.execute(ctx.db);
  return rows;
}
