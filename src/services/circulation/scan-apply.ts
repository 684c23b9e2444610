import { sql } from 'kysely';
import type { ScanDecision } from '../../domain/scan/decide-scan';
import type { Db } from '../context';
import { holdViewRowOfJson, type HoldViewJson, type HoldViewRow } from '../holds/hold-view';
import type { NewLibraryMessage } from '../library-messages';
import type { NoticeRow } from '../notices/hold-ready-notice';
import type { ScanEvent } from './scan-events';

// One scan's outcome as ONE call of the database function scan_apply (migrations 008, 011): every
// change, its event rows, the hold-ready notice and any library message, ending with the view of
// the hold the answer shows — or nothing at all when the item or the hold changed since the
// snapshot read them (their row versions differ). The scan is the most frequent call in a library, and round trips
// and planning, not work, are what it costs (DESIGN §3).

export interface ScanWrites {
  now: Date;
  here: number;
  itemId: number;
  /** The item's row version the decision was made on. */
  itemVersion: string;
  /** The row version of the hold the scan captures or shelves, when it does. */
  holdVersion: string | null;
  /** The hold that targeted the item when the snapshot was read, if one did. */
  targetedBy: number | null;
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

/** The answer of a scan whose rows changed under it: decide again. */
export const stale = Symbol('stale');
export type Stale = typeof stale;

export interface ScanWritten {
  newTransitId: number | null;
  hold: HoldViewRow | null;
}

/** The hold this scan changes: captured by this item, shelved here, or both. One hold at most. */
function changedHold(w: ScanWrites): { hold_id: number; hold_status: string; capture: boolean; shelve: boolean; shelf_expires_at: Date | null } | null {
  const e = w.decision.effects;
  const holdId = e.shelveHoldId ?? e.captureHoldId;
  if (holdId === null) return null;
  if (e.captureHoldId !== null && e.shelveHoldId !== null && e.captureHoldId !== e.shelveHoldId) {
    throw new Error('a scan changes at most one hold');
  }
  return {
    hold_id: holdId,
    hold_status: e.shelveHoldId !== null ? 'on-holds-shelf' : 'in-transit',
    capture: e.captureHoldId !== null,
    shelve: e.shelveHoldId !== null,
    shelf_expires_at: e.shelveHoldId !== null ? w.shelfExpiresAt : null,
  };
}

export async function applyScan(db: Db, w: ScanWrites): Promise<ScanWritten | Stale> {
  const e = w.decision.effects;
  const m = w.message;
  const writes = {
    now: w.now,
    here: w.here,
    item_id: w.itemId,
    item_version: w.itemVersion,
    hold_version: w.holdVersion,
    targeted_by: w.targetedBy,
    record_id: w.recordId,
    staff_id: w.actor.staff_id,
    actor_patron_id: w.actor.actor_patron_id,
    receive_transit_id: e.receiveTransitId,
    close_loan_id: e.closeLoanId,
    ...changedHold(w),
    new_transit: e.newTransit === null ? null : { kind: e.newTransit.kind, hold_id: e.newTransit.holdId, to_library_id: e.newTransit.toLibraryId },
    item_status: e.itemStatus,
    item_current_library_id: e.itemCurrentLibraryId,
    events: w.events.map((event, seq) => ({ ...event, seq })),
    notice: w.notice,
    message: m && { from_library_id: m.fromLibraryId, to_library_id: m.toLibraryId, kind: m.kind, hold_id: m.holdId, item_id: m.itemId, patron_id: m.patronId, subject: m.subject, body: m.body, created_at: m.createdAt },
    answer_hold_id: w.answerHoldId,
  };
  const { rows } = await sql<{ written: { stale?: true; new_transit_id: number | null; hold: HoldViewJson | null } }>`SELECT scan_apply(${JSON.stringify(writes)}::jsonb) AS written`.execute(db);
  const { written } = rows[0]!;
  if (written.stale) return stale;
  return { newTransitId: written.new_transit_id, hold: written.hold && holdViewRowOfJson(written.hold) };
}

/** The answer's hold when the scan changes nothing: the second and last round trip. */
export async function loadAnswerHold(db: Db, holdId: number): Promise<HoldViewRow | null> {
  const { rows } = await sql<{ hold: HoldViewJson | null }>`SELECT hold_view_json(${holdId}::int) AS hold`.execute(db);
  const hold = rows[0]?.hold ?? null;
  return hold && holdViewRowOfJson(hold);
}
