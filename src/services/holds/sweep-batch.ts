import { sql } from 'kysely';
import type { AgeProtection } from '../../domain/age-protection';
import type { HoldType } from '../../domain/holds/hold-status';
import type { ItemForHold } from '../../domain/targeting/eligibility';
import type { Tx } from '../context';
import { explanationRow } from './explanation';
import { decideSweep, type SweepOutcome, type SweepReason, type SweepRecord } from './sweep-decisions';
import { toItemForHold, type TargetingRun } from './target-hold';

// One batch of the targeting sweep in one transaction: a handful of statements load the due
// holds of a group of records with everything targeting needs, the decisions are made in memory,
// and two statements write them with their explanations, exclusions and events. Holds and items
// another transaction is working on are skipped (SKIP LOCKED), never waited for: the next sweep
// takes them. Writers of a hold's target always lock the item first, so nothing is given twice.

export interface DueHold {
  id: number;
  recordId: number;
  reason: SweepReason;
  /** For a timeout: the target the sweep found, and its library. */
  targetItemId: number | null;
  timeoutLibraryId: number | null;
}

interface LockedHold {
  id: number;
  type: HoldType;
  record_id: number;
  volume_id: number | null;
  item_id: number | null;
  pickup_library_id: number;
  status: string;
  target_item_id: number | null;
  patron_id: number;
  requested_at: Date;
  home_library_id: number;
}

export async function sweepBatch(run: TargetingRun, due: readonly DueHold[], retargetAfterHours: number): Promise<SweepOutcome['counts']> {
  const { trx } = run;
  const dueById = new Map(due.map((d) => [d.id, d]));
  const { rows: locked } = await sql<LockedHold>`
    SELECT h.id, h.type, h.record_id, h.volume_id, h.item_id, h.pickup_library_id, h.status, h.target_item_id,
      h.patron_id, h.requested_at, p.home_library_id
    FROM holds h JOIN patrons p ON p.id = h.patron_id
    WHERE h.id = ANY(${[...dueById.keys()]}::int[])
    FOR UPDATE OF h SKIP LOCKED`.execute(trx);
  // a timeout found by the sweep's first look counts only if the hold still has that target
  const holds = locked.filter((h) => {
    const d = dueById.get(h.id)!;
    return d.reason !== 'timeout' || h.target_item_id === d.targetItemId;
  });
  if (holds.length === 0) return { resumed: 0, timedOut: 0, retargeted: 0, waitingTried: 0, newlyTargeted: 0 };
  const records = await loadRecords(trx, holds);
  const holdsOf = new Map<number, LockedHold[]>();
  for (const h of holds) {
    const list = holdsOf.get(h.record_id);
    if (list) list.push(h);
    else holdsOf.set(h.record_id, [h]);
  }
  const outcome = decideSweep(
    [...records.entries()].map(([recordId, record]) => ({
      ...record,
      holds: holdsOf
        .get(recordId)!
        .map((h) => {
          const d = dueById.get(h.id)!;
          return {
            id: h.id,
            type: h.type,
            volumeId: h.volume_id,
            itemId: h.item_id,
            pickupLibraryId: h.pickup_library_id,
            patronHomeLibraryId: h.home_library_id,
            recordId: h.record_id,
            patronId: h.patron_id,
            status: h.status,
            targetItemId: h.target_item_id,
            requestedAt: h.requested_at.getTime(),
            reason: d.reason,
            refused: record.refused.get(h.id) ?? new Set<number>(),
            timedOut: record.timedOut.get(h.id) ?? new Set<number>(),
            lastSummary: record.lastSummary.get(h.id) ?? null,
            timeoutLibraryId: d.timeoutLibraryId,
          };
        }),
    })),
    run,
    retargetAfterHours,
  );
  await writeOutcome(run, outcome, new Map(holds.map((h) => [h.id, h.target_item_id])));
  return outcome.counts;
}

type LoadedRecord = Omit<SweepRecord, 'holds'> & {
  refused: Map<number, Set<number>>;
  timedOut: Map<number, Set<number>>;
  lastSummary: Map<number, string>;
};

async function loadRecords(trx: Tx, holds: readonly LockedHold[]): Promise<Map<number, LoadedRecord>> {
  const recordIds = [...new Set(holds.map((h) => h.record_id))];
  const holdIds = holds.map((h) => h.id);
  const { rows: items } = await sql<{
    id: number;
    record_id: number;
    barcode: string;
    owning_library_id: number;
    volume_id: number;
    status: string;
    holdable: boolean;
    circulates: boolean;
    cataloged_at: string;
    age_protection: AgeProtection;
    location_holdable: boolean;
  }>`
    SELECT i.id, i.record_id, i.barcode, i.owning_library_id, i.volume_id, i.status, i.holdable, i.circulates,
      i.cataloged_at, i.age_protection, coalesce(sl.holdable, true) AS location_holdable
    FROM items i LEFT JOIN shelving_locations sl ON sl.id = i.location_id
    WHERE i.record_id = ANY(${recordIds}::int[])`.execute(trx);
  // the available items this batch may give; the others available are being scanned or targeted
  const { rows: ours } = await sql<{ id: number }>`
    SELECT id FROM items WHERE record_id = ANY(${recordIds}::int[]) AND status = 'available'
    FOR UPDATE SKIP LOCKED`.execute(trx);
  const { rows: held } = await sql<{ record_id: number; id: number; item_id: number }>`
    SELECT record_id, id, coalesce(captured_item_id, target_item_id) AS item_id FROM holds
    WHERE record_id = ANY(${recordIds}::int[]) AND status IN ('targeted', 'in-transit', 'on-holds-shelf')`.execute(trx);
  const { rows: exclusions } = await sql<{ hold_id: number; library_id: number; reason: 'refused' | 'timeout' }>`
    SELECT hold_id, library_id, reason FROM hold_exclusions WHERE hold_id = ANY(${holdIds}::int[])`.execute(trx);
  const { rows: summaries } = await sql<{ hold_id: number; summary: string }>`
    SELECT DISTINCT ON (hold_id) hold_id, summary FROM hold_targetings
    WHERE hold_id = ANY(${holdIds}::int[]) ORDER BY hold_id, id DESC`.execute(trx);

  const ourIds = new Set(ours.map((o) => o.id));
  const recordOfHold = new Map(holds.map((h) => [h.id, h.record_id]));
  const records = new Map<number, LoadedRecord>(
    recordIds.map((id) => [id, { items: [], heldBy: new Map(), busy: new Set<number>(), refused: new Map(), timedOut: new Map(), lastSummary: new Map() }]),
  );
  for (const i of items) {
    const record = records.get(i.record_id)!;
    (record.items as ItemForHold[]).push(toItemForHold(i));
    if (i.status === 'available' && !ourIds.has(i.id)) (record.busy as Set<number>).add(i.id);
  }
  for (const h of held) records.get(h.record_id)!.heldBy.set(h.item_id, h.id);
  for (const x of exclusions) {
    const record = records.get(recordOfHold.get(x.hold_id)!)!;
    const byHold = x.reason === 'refused' ? record.refused : record.timedOut;
    byHold.set(x.hold_id, new Set([...(byHold.get(x.hold_id) ?? []), x.library_id]));
  }
  for (const s of summaries) records.get(recordOfHold.get(s.hold_id)!)!.lastSummary.set(s.hold_id, s.summary);
  return records;
}

async function writeOutcome(run: TargetingRun, outcome: SweepOutcome, targetBefore: ReadonlyMap<number, number | null>): Promise<void> {
  const { trx, now } = run;
  // a hold letting go of an item another hold of the batch takes: released first, because the
  // one-target-per-item index is checked row by row within a statement
  const taken = new Set(outcome.changes.map((c) => c.target_item_id).filter((id) => id !== null));
  const releasing = outcome.changes
    .filter((c) => {
      const before = targetBefore.get(c.id) ?? null;
      return before !== null && before !== c.target_item_id && taken.has(before);
    })
    .map((c) => c.id);
  if (releasing.length > 0) {
    await sql`UPDATE holds SET status = 'waiting', target_item_id = NULL, targeted_at = NULL
      WHERE id = ANY(${releasing}::int[]) AND status = 'targeted'`.execute(trx);
  }
  const explanations = outcome.explanations.map((e, seq) => {
    return { ...explanationRow(e.holdId, e.decision, e.trigger, run, now), seq };
  });
  const events = outcome.events.map((e, seq) => ({
    seq,
    kind: e.kind,
    hold_id: e.hold.id,
    item_id: e.itemId,
    patron_id: e.hold.patronId,
    record_id: e.hold.recordId,
    library_id: e.libraryId,
    reason: e.reason,
    data: e.data,
  }));
  const timeouts = outcome.timeouts.map((h) => ({ hold_id: h.id, library_id: h.timeoutLibraryId }));
  await sql`
    WITH changed AS (
      UPDATE holds h SET status = u.status, target_item_id = u.target_item_id, targeted_at = u.targeted_at,
        suspended_until = CASE WHEN u.resumed THEN NULL ELSE h.suspended_until END,
        -- the hold's pull list line (migration 015), here for the batch in one join
        pull_library_id = i.current_library_id, pull_location = loc.name, pull_call_number = v.call_number, pull_barcode = i.barcode
      FROM json_to_recordset(${JSON.stringify(outcome.changes)}::json)
          AS u(id int, status text, target_item_id int, targeted_at timestamptz, resumed boolean)
        LEFT JOIN items i ON i.id = u.target_item_id
        LEFT JOIN volumes v ON v.id = i.volume_id
        LEFT JOIN shelving_locations loc ON loc.id = i.location_id
      WHERE h.id = u.id
      RETURNING h.id
    ), timed_out AS (
      INSERT INTO hold_exclusions (hold_id, library_id, reason, at)
      SELECT x.hold_id, x.library_id, 'timeout', ${now}::timestamptz
      FROM json_to_recordset(${JSON.stringify(timeouts)}::json) AS x(hold_id int, library_id int)
      ON CONFLICT (hold_id, library_id, reason) DO UPDATE SET at = EXCLUDED.at
      RETURNING hold_id
    ), explained AS (
      INSERT INTO hold_targetings (hold_id, at, trigger, policy, summary, outcome, candidates, chosen_item_id, draw)
      SELECT t.hold_id, ${now}::timestamptz, t.trigger, t.policy, t.summary, t.outcome, t.candidates, t.chosen_item_id, t.draw
      FROM json_to_recordset(${JSON.stringify(explanations)}::json)
        AS t(seq int, hold_id int, trigger text, policy text, summary text, outcome text, candidates json, chosen_item_id int, draw float8)
      ORDER BY t.seq
      RETURNING id
    ), recorded AS (
      INSERT INTO events (at, kind, staff_id, hold_id, item_id, patron_id, record_id, library_id, reason, data)
      SELECT ${now}::timestamptz, e.kind, ${run.staffId}::int, e.hold_id, e.item_id, e.patron_id, e.record_id, e.library_id, e.reason, e.data
      FROM json_to_recordset(${JSON.stringify(events)}::json)
        AS e(seq int, kind text, hold_id int, item_id int, patron_id int, record_id int, library_id int, reason text, data jsonb)
      ORDER BY e.seq
      RETURNING id
    )
    SELECT (SELECT count(*) FROM changed) AS holds`.execute(trx);
}
