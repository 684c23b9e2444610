import { chooseTarget, type TargetingDecision } from '../../domain/targeting/choose-target';
import type { HoldForTargeting, ItemForHold } from '../../domain/targeting/eligibility';
import type { TargetingRun, TargetingTrigger } from './target-hold';

// The sweep's decisions for the due holds of a group of records, made in memory over what one
// batch loaded, in the order the per-hold sweep used: holds whose suspension ended, then
// targets not captured in time, then waiting holds, each oldest first within its record. An
// item a hold takes or lets go counts for the next hold of the same record at once.

export type SweepReason = 'resume' | 'timeout' | 'waiting';

export interface SweepHold extends HoldForTargeting {
  recordId: number;
  patronId: number;
  status: string;
  targetItemId: number | null;
  requestedAt: number;
  reason: SweepReason;
  refused: ReadonlySet<number>;
  timedOut: Set<number>;
  lastSummary: string | null;
  /** For a timeout: the library whose target was not captured in time. */
  timeoutLibraryId: number | null;
}

export interface SweepRecord {
  items: readonly ItemForHold[];
  /** Items held by open holds (targets and captures), by the hold holding them. */
  heldBy: Map<number, number>;
  /** Available items another transaction is working on: not ours to give this time. */
  busy: ReadonlySet<number>;
  holds: SweepHold[];
}

export interface HoldChange {
  id: number;
  status: 'waiting' | 'targeted';
  target_item_id: number | null;
  targeted_at: Date | null;
  resumed: boolean;
}

export interface SweepOutcome {
  changes: HoldChange[];
  explanations: { holdId: number; decision: TargetingDecision; trigger: TargetingTrigger }[];
  /** Events other than the explanation rows, in order. */
  events: { kind: string; hold: SweepHold; itemId: number | null; libraryId: number | null; reason: string; data: Record<string, unknown> }[];
  timeouts: SweepHold[];
  counts: { resumed: number; timedOut: number; retargeted: number; waitingTried: number; newlyTargeted: number };
}

const order: Record<SweepReason, number> = { resume: 0, timeout: 1, waiting: 2 };

export function decideSweep(records: readonly SweepRecord[], run: Omit<TargetingRun, 'trx'>, retargetAfterHours: number): SweepOutcome {
  const out: SweepOutcome = { changes: [], explanations: [], events: [], timeouts: [], counts: { resumed: 0, timedOut: 0, retargeted: 0, waitingTried: 0, newlyTargeted: 0 } };
  for (const record of records) {
    const holds = [...record.holds].sort((a, b) => order[a.reason] - order[b.reason] || a.requestedAt - b.requestedAt || a.id - b.id);
    for (const hold of holds) decideHold(record, hold, run, retargetAfterHours, out);
  }
  return out;
}

function decideHold(record: SweepRecord, hold: SweepHold, run: Omit<TargetingRun, 'trx'>, hours: number, out: SweepOutcome): void {
  let trigger: TargetingTrigger = 'sweep';
  let status = hold.status;
  let resumed = false;
  if (hold.reason === 'resume') {
    if (status !== 'suspended') return;
    status = 'waiting';
    resumed = true;
    trigger = 'resumed';
    out.events.push({ kind: 'hold-resumed', hold, itemId: null, libraryId: null, reason: 'suspension ended', data: {} });
    out.counts.resumed++;
  } else if (hold.reason === 'timeout') {
    if (status !== 'targeted' || hold.timeoutLibraryId === null) return;
    trigger = 'sweep-timeout';
    hold.timedOut.add(hold.timeoutLibraryId);
    out.timeouts.push(hold);
    out.events.push({
      kind: 'hold-target-timeout',
      hold,
      itemId: hold.targetItemId,
      libraryId: hold.timeoutLibraryId,
      reason: `not captured within ${hours} opening hours`,
      data: { timeout: true, refusal: false },
    });
    out.counts.timedOut++;
  } else if (status !== 'waiting') {
    return;
  } else {
    out.counts.waitingTried++;
  }
  const taken = new Set(record.busy);
  for (const [itemId, holder] of record.heldBy) if (holder !== hold.id) taken.add(itemId);
  const decision = chooseTarget(hold, record.items, {
    tree: run.libraries.tree,
    takenItemIds: taken,
    refusedLibraryIds: hold.refused,
    timedOutLibraryIds: hold.timedOut,
    previousTargetItemId: trigger === 'sweep-timeout' ? hold.targetItemId : null,
    lentLast30Days: run.lentLast30Days ?? new Map<number, number>(),
    policy: run.policy,
    todayAt: (libraryId) => run.libraries.todayAt(libraryId, run.now),
    random: run.random,
  });
  const newTarget = decision.outcome === 'targeted' ? decision.itemId : null;
  const changed = newTarget !== hold.targetItemId;
  // a sweep that finds a waiting hold still waiting for the same reason has nothing new to say
  if (!(!changed && hold.lastSummary === decision.summary && trigger === 'sweep')) out.explanations.push({ holdId: hold.id, decision, trigger });
  if (hold.reason === 'timeout' && changed) out.counts.retargeted++;
  if (hold.targetItemId !== null && changed) record.heldBy.delete(hold.targetItemId);
  if (decision.outcome === 'targeted') {
    record.heldBy.set(decision.itemId, hold.id);
    if (changed || trigger === 'sweep-timeout' || resumed) {
      out.changes.push({ id: hold.id, status: 'targeted', target_item_id: decision.itemId, targeted_at: run.now, resumed });
    }
    if (changed) {
      const item = record.items.find((i) => i.id === decision.itemId)!;
      out.events.push({
        kind: 'hold-targeted',
        hold,
        itemId: item.id,
        libraryId: item.owningLibraryId,
        reason: trigger,
        data: { barcode: item.barcode, previousTargetItemId: hold.targetItemId, summary: decision.summary },
      });
      if (hold.reason === 'waiting') out.counts.newlyTargeted++;
    }
  } else if (status !== 'waiting' || changed || resumed) {
    out.changes.push({ id: hold.id, status: 'waiting', target_item_id: null, targeted_at: null, resumed });
    if (status !== 'waiting' || changed) {
      out.events.push({ kind: 'hold-waiting', hold, itemId: hold.targetItemId, libraryId: null, reason: trigger, data: { waitReason: decision.reason, summary: decision.summary } });
    }
  }
  hold.status = decision.outcome;
  hold.targetItemId = newTarget;
}
