import { sql, type RawBuilder } from 'kysely';
import type { ScanDecision } from '../../domain/scan/decide-scan';
import type { Tx } from '../context';
import { holdViewQuery, type HoldViewRow } from '../holds/hold-view';
import type { NewLibraryMessage } from '../library-messages';
import type { NoticeRow } from '../notices/hold-ready-notice';
import type { ScanEvent } from './scan-events';

// One scan's outcome as ONE statement: every change, its event rows, the hold-ready notice and
// any library message, ending with the view of the hold the answer shows. The scan is the most
// frequent call in a library, and round trips, not work, are what it costs (DESIGN §3).
//
// The parts of a statement run in no fixed order, so a part that must follow another reads its
// output: the new transit is inserted only after the old one is received (one open transit per
// item), and events refer to the new transit through its RETURNING row.

export interface ScanWrites {
  now: Date;
  here: number;
  itemId: number;
  recordId: number;
  actor: { staff_id: number | null; actor_patron_id: number | null };
  decision: ScanDecision;
  /** When the decision shelves a hold. */
  shelfExpiresAt: Date | null;
  events: ScanEvent[];
  notice: NoticeRow | null;
  message: (NewLibraryMessage & { createdAt: Date }) | null;
  /** The hold the answer shows. */
  answerHoldId: number | null;
}

export interface ScanWritten {
  newTransitId: number | null;
  hold: HoldViewRow | null;
}

function insertRow(table: string, row: Record<string, unknown>): RawBuilder<unknown> {
  const columns = Object.keys(row);
  return sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES (${sql.join(columns.map((c) => row[c]))})`;
}

/** The hold's changes: captured by this item, shelved here, or both. One hold at most. */
function holdUpdate(w: ScanWrites): RawBuilder<unknown> | null {
  const e = w.decision.effects;
  const holdId = e.shelveHoldId ?? e.captureHoldId;
  if (holdId === null) return null;
  if (e.captureHoldId !== null && e.shelveHoldId !== null && e.captureHoldId !== e.shelveHoldId) {
    throw new Error('a scan changes at most one hold');
  }
  const sets: RawBuilder<unknown>[] = [sql`status = ${e.shelveHoldId !== null ? 'on-holds-shelf' : 'in-transit'}`];
  if (e.captureHoldId !== null) sets.push(sql`captured_item_id = ${w.itemId}::int`, sql`captured_at = ${w.now}::timestamptz`);
  if (e.shelveHoldId !== null) sets.push(sql`shelved_at = ${w.now}::timestamptz`, sql`shelf_expires_at = ${w.shelfExpiresAt}::timestamptz`);
  return sql`UPDATE holds SET ${sql.join(sets)} WHERE id = ${holdId}::int RETURNING *`;
}

export async function applyScan(trx: Tx, w: ScanWrites): Promise<ScanWritten> {
  const e = w.decision.effects;
  const parts: RawBuilder<unknown>[] = [];
  const part = (name: string, body: RawBuilder<unknown>) => parts.push(sql`${sql.id(name)} AS (${body})`);
  if (e.receiveTransitId !== null) part('received', sql`UPDATE transits SET received_at = ${w.now}::timestamptz WHERE id = ${e.receiveTransitId}::int RETURNING id`);
  if (e.closeLoanId !== null) {
    part('returned', sql`UPDATE loans SET returned_at = ${w.now}::timestamptz, returned_library_id = ${w.here}::int WHERE id = ${e.closeLoanId}::int RETURNING id`);
  }
  const changedHold = holdUpdate(w);
  if (changedHold) part('changed_hold', changedHold);
  if (e.newTransit !== null) {
    const t = e.newTransit;
    part(
      'new_transit',
      sql`INSERT INTO transits (item_id, kind, hold_id, source_library_id, destination_library_id, sent_at, sent_by_staff_id)
        SELECT ${w.itemId}::int, ${t.kind}, ${t.holdId}::int, ${w.here}::int, ${t.toLibraryId}::int, ${w.now}::timestamptz, ${w.actor.staff_id}::int
        ${e.receiveTransitId !== null ? sql`FROM (SELECT count(*) FROM received) AS after_receiving` : sql``}
        RETURNING id`,
    );
  }
  part('changed_item', sql`UPDATE items SET status = ${e.itemStatus}, current_library_id = ${e.itemCurrentLibraryId}::int, updated_at = ${w.now}::timestamptz WHERE id = ${w.itemId}::int RETURNING id`);
  if (w.events.length > 0) {
    const transitId = e.newTransit !== null ? sql`CASE WHEN ev.new_transit THEN (SELECT id FROM new_transit) ELSE ev.transit_id END` : sql`ev.transit_id`;
    part(
      'written_events',
      sql`INSERT INTO events (at, kind, staff_id, actor_patron_id, library_id, item_id, record_id, hold_id, patron_id, transit_id, loan_id, data)
        SELECT ${w.now}::timestamptz, ev.kind, ${w.actor.staff_id}::int, ${w.actor.actor_patron_id}::int, ${w.here}::int, ${w.itemId}::int,
          ${w.recordId}::int, ev.hold_id, ev.patron_id, ${transitId}, ev.loan_id, ev.data
        FROM json_to_recordset(${JSON.stringify(w.events.map((event, seq) => ({ ...event, seq })))}::json)
          AS ev(seq int, kind text, hold_id int, patron_id int, transit_id int, loan_id int, new_transit boolean, data jsonb)
        ORDER BY ev.seq
        RETURNING id`,
    );
  }
  if (w.notice) part('queued_notice', sql`${insertRow('notices', w.notice)} RETURNING id`);
  if (w.message) {
    const m = w.message;
    const row = { from_library_id: m.fromLibraryId, to_library_id: m.toLibraryId, kind: m.kind, hold_id: m.holdId, item_id: m.itemId, patron_id: m.patronId, subject: m.subject, body: m.body, created_at: m.createdAt };
    part('sent_message', sql`${insertRow('library_messages', row)} RETURNING id`);
  }
  const newTransitId = e.newTransit !== null ? sql`(SELECT id FROM new_transit)` : sql`NULL::int`;
  const { rows } = await sql<{ new_transit_id: number | null } & Partial<HoldViewRow>>`
    WITH ${sql.join(parts)}
    SELECT ${newTransitId} AS new_transit_id, v.*
    FROM (SELECT 1) AS one LEFT JOIN (${answerHold(w.answerHoldId, changedHold !== null)}) v ON true`.execute(trx);
  const row = rows[0]!;
  return { newTransitId: row.new_transit_id, hold: row.id == null ? null : (row as HoldViewRow) };
}

/** The answer's hold as this statement leaves it: the changed row when it is the one shown. */
function answerHold(holdId: number | null, holdChanged: boolean): RawBuilder<unknown> {
  if (holdId === null) return sql`SELECT NULL::int AS id WHERE false`;
  const source = holdChanged
    ? sql`SELECT * FROM changed_hold WHERE id = ${holdId}::int
        UNION ALL SELECT * FROM holds WHERE id = ${holdId}::int AND NOT EXISTS (SELECT 1 FROM changed_hold WHERE id = ${holdId}::int)`
    : sql`SELECT * FROM holds WHERE id = ${holdId}::int`;
  return holdViewQuery(source);
}

/** The answer's hold when the scan changes nothing: the second and last round trip. */
export async function loadAnswerHold(trx: Tx, holdId: number): Promise<HoldViewRow | null> {
  const { rows } = await holdViewQuery(sql`SELECT * FROM holds WHERE id = ${holdId}::int`).execute(trx);
  return rows[0] ?? null;
}
