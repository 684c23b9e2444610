import { sql } from 'kysely';
import type { AgeProtection } from '../../domain/age-protection';
import { chooseTarget, type TargetingDecision, type TargetingPolicy } from '../../domain/targeting/choose-target';
import type { HoldForTargeting, ItemForHold } from '../../domain/targeting/eligibility';
import { recordEvent } from '../../db/events';
import type { Tx } from '../context';
import type { LibraryFacts } from './library-facts';
import { explanationRow } from './explanation';

// Load → decide → apply for one hold, inside the caller's transaction. The chosen item is locked
// with FOR UPDATE SKIP LOCKED and checked again, so two transactions never target one item; the
// partial unique index on holds.target_item_id stands behind that.

export type TargetingTrigger =
  | 'placed'
  | 'item-available'
  | 'sweep'
  | 'sweep-timeout'
  | 'redirected'
  | 'not-on-shelf'
  | 'resumed'
  | 'pickup-changed'
  | 'target-unavailable';

export interface TargetingRun {
  trx: Tx;
  now: Date;
  random: () => number;
  libraries: LibraryFacts;
  policy: TargetingPolicy;
  staffId: number | null;
  /** Items each library lent in the last 30 days, loaded once per run when the policy needs it. */
  lentLast30Days?: ReadonlyMap<number, number>;
}

export interface TargetOutcome {
  holdId: number;
  status: 'waiting' | 'targeted' | 'unchanged';
  targetItemId: number | null;
  changed: boolean;
}

interface LoadedHold extends HoldForTargeting {
  recordId: number;
  patronId: number;
  status: string;
  targetItemId: number | null;
}

async function loadHold(trx: Tx, holdId: number): Promise<LoadedHold | undefined> {
  const row = await trx
    .selectFrom('holds')
    .innerJoin('patrons', 'patrons.id', 'holds.patron_id')
    .select(['holds.id', 'holds.type', 'holds.record_id', 'holds.volume_id', 'holds.item_id', 'holds.pickup_library_id', 'holds.status', 'holds.target_item_id', 'holds.patron_id', 'patrons.home_library_id'])
    .where('holds.id', '=', holdId)
    .forUpdate('holds')
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    type: row.type,
    volumeId: row.volume_id,
    itemId: row.item_id,
    pickupLibraryId: row.pickup_library_id,
    patronHomeLibraryId: row.home_library_id,
    recordId: row.record_id,
    patronId: row.patron_id,
    status: row.status,
    targetItemId: row.target_item_id,
  };
}

export async function loadItemsForHold(trx: Tx, recordId: number): Promise<ItemForHold[]> {
  const rows = await trx
    .selectFrom('items')
    .leftJoin('shelving_locations', 'shelving_locations.id', 'items.location_id')
    .select([
      'items.id',
      'items.barcode',
      'items.owning_library_id',
      'items.volume_id',
      'items.status',
      'items.holdable',
      'items.circulates',
      'items.cataloged_at',
      'items.age_protection',
      sql<boolean>`coalesce(shelving_locations.holdable, true)`.as('location_holdable'),
    ])
    .where('items.record_id', '=', recordId)
    .execute();
  return rows.map(toItemForHold);
}

/** An item row, as every loader of targeting candidates selects it, in the rules' terms. */
export interface ItemForHoldRow {
  id: number;
  barcode: string;
  owning_library_id: number;
  volume_id: number;
  status: string;
  holdable: boolean;
  circulates: boolean;
  cataloged_at: string;
  age_protection: string;
  location_holdable: boolean;
}

export function toItemForHold(r: ItemForHoldRow): ItemForHold {
  return {
    id: r.id,
    barcode: r.barcode,
    owningLibraryId: r.owning_library_id,
    volumeId: r.volume_id,
    status: r.status,
    holdable: r.holdable,
    locationHoldable: r.location_holdable,
    circulates: r.circulates,
    catalogedAt: r.cataloged_at,
    ageProtection: r.age_protection as AgeProtection,
  };
}

async function takenItems(trx: Tx, recordId: number, holdId: number): Promise<Set<number>> {
  const rows = await trx
    .selectFrom('holds')
    .select(['target_item_id', 'captured_item_id'])
    .where('record_id', '=', recordId)
    .where('id', '!=', holdId)
    .where('status', 'in', ['targeted', 'in-transit', 'on-holds-shelf'])
    .execute();
  return new Set(rows.flatMap((r) => [r.target_item_id, r.captured_item_id]).filter((id): id is number => id !== null));
}

async function exclusionsOf(trx: Tx, holdId: number): Promise<{ refused: Set<number>; timedOut: Set<number> }> {
  const rows = await trx.selectFrom('hold_exclusions').select(['library_id', 'reason']).where('hold_id', '=', holdId).execute();
  return {
    refused: new Set(rows.filter((r) => r.reason === 'refused').map((r) => r.library_id)),
    timedOut: new Set(rows.filter((r) => r.reason === 'timeout').map((r) => r.library_id)),
  };
}

/** Locks the chosen item if no other transaction holds it, and checks no hold took it meanwhile. */
async function claimItem(trx: Tx, itemId: number, holdId: number): Promise<boolean> {
  const locked = await trx.selectFrom('items').select('id').where('id', '=', itemId).where('status', '=', 'available').forUpdate().skipLocked().executeTakeFirst();
  if (!locked) return false;
  const other = await trx
    .selectFrom('holds')
    .select('id')
    .where('id', '!=', holdId)
    .where((eb) => eb.or([eb.and([eb('target_item_id', '=', itemId), eb('status', '=', 'targeted')]), eb.and([eb('captured_item_id', '=', itemId), eb('status', 'in', ['in-transit', 'on-holds-shelf'])])]))
    .executeTakeFirst();
  return !other;
}

export async function targetHold(run: TargetingRun, holdId: number, trigger: TargetingTrigger): Promise<TargetOutcome> {
  const { trx } = run;
  const hold = await loadHold(trx, holdId);
  if (!hold || (hold.status !== 'waiting' && hold.status !== 'targeted')) {
    return { holdId, status: 'unchanged', targetItemId: hold?.targetItemId ?? null, changed: false };
  }
  const [items, taken, exclusions] = await Promise.all([loadItemsForHold(trx, hold.recordId), takenItems(trx, hold.recordId, hold.id), exclusionsOf(trx, hold.id)]);
  const facts = {
    tree: run.libraries.tree,
    takenItemIds: taken,
    refusedLibraryIds: exclusions.refused,
    timedOutLibraryIds: exclusions.timedOut,
    previousTargetItemId: trigger === 'sweep-timeout' ? hold.targetItemId : null,
    lentLast30Days: run.lentLast30Days ?? new Map<number, number>(),
    policy: run.policy,
    todayAt: (libraryId: number) => run.libraries.todayAt(libraryId, run.now),
    random: run.random,
  };
  let decision: TargetingDecision = chooseTarget(hold, items, facts);
  // an item another transaction is claiming right now counts as taken; choose again
  for (let attempt = 0; decision.outcome === 'targeted' && attempt < 10; attempt++) {
    if (decision.itemId === hold.targetItemId || (await claimItem(trx, decision.itemId, hold.id))) break;
    taken.add(decision.itemId);
    decision = chooseTarget(hold, items, facts);
  }
  return applyDecision(run, hold, decision, trigger, items);
}

async function applyDecision(run: TargetingRun, hold: LoadedHold, decision: TargetingDecision, trigger: TargetingTrigger, items: ItemForHold[]): Promise<TargetOutcome> {
  const { trx, now } = run;
  const newTarget = decision.outcome === 'targeted' ? decision.itemId : null;
  const changed = newTarget !== hold.targetItemId;
  const last = await trx.selectFrom('hold_targetings').select(['outcome', 'summary']).where('hold_id', '=', hold.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
  // a sweep that finds a waiting hold still waiting for the same reason has nothing new to say
  const sameAsBefore = !changed && last?.summary === decision.summary && trigger === 'sweep';
  if (!sameAsBefore) {
    const row = explanationRow(hold.id, decision, trigger, run, now);
    await trx.insertInto('hold_targetings').values({ ...row, candidates: JSON.stringify(row.candidates) }).execute();
  }
  if (decision.outcome === 'targeted') {
    if (changed || trigger === 'sweep-timeout') {
      await trx.updateTable('holds').set({ status: 'targeted', target_item_id: decision.itemId, targeted_at: now }).where('id', '=', hold.id).execute();
    }
    if (changed) {
      const item = items.find((i) => i.id === decision.itemId)!;
      await recordEvent(trx, {
        at: now,
        kind: 'hold-targeted',
        staff_id: run.staffId,
        hold_id: hold.id,
        item_id: item.id,
        patron_id: hold.patronId,
        record_id: hold.recordId,
        library_id: item.owningLibraryId,
        reason: trigger,
        data: { barcode: item.barcode, previousTargetItemId: hold.targetItemId, summary: decision.summary },
      });
    }
    return { holdId: hold.id, status: 'targeted', targetItemId: decision.itemId, changed };
  }
  if (hold.status !== 'waiting' || changed) {
    await trx.updateTable('holds').set({ status: 'waiting', target_item_id: null, targeted_at: null }).where('id', '=', hold.id).execute();
    await recordEvent(trx, {
      at: now,
      kind: 'hold-waiting',
      staff_id: run.staffId,
      hold_id: hold.id,
      item_id: hold.targetItemId,
      patron_id: hold.patronId,
      record_id: hold.recordId,
      reason: trigger,
      data: { waitReason: decision.reason, summary: decision.summary },
    });
  }
  return { holdId: hold.id, status: 'waiting', targetItemId: null, changed };
}
