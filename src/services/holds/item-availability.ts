import type { TargetingRun } from './target-hold';
import { targetHold } from './target-hold';

// When an item becomes available (added, returned to the shelf, made holdable, released by a
// hold) the holds waiting for it are targeted inside that same request, oldest first.

const maxHoldsTried = 50;

export async function targetHoldsWaitingForItem(run: TargetingRun, itemId: number): Promise<number[]> {
  const { trx } = run;
  const item = await trx.selectFrom('items').select(['id', 'record_id', 'volume_id', 'status']).where('id', '=', itemId).executeTakeFirst();
  if (!item || item.status !== 'available') return [];
  const waiting = await trx
    .selectFrom('holds')
    .select('id')
    .where('record_id', '=', item.record_id)
    .where('status', '=', 'waiting')
    .where((eb) =>
      eb.or([eb('type', '=', 'title'), eb.and([eb('type', '=', 'volume'), eb('volume_id', '=', item.volume_id)]), eb.and([eb('type', '=', 'copy'), eb('item_id', '=', item.id)])]),
    )
    .orderBy('requested_at')
    .orderBy('id')
    .limit(maxHoldsTried)
    .execute();
  const targeted: number[] = [];
  for (const { id } of waiting) {
    const outcome = await targetHold(run, id, 'item-available');
    if (outcome.status === 'targeted') targeted.push(id);
    if (outcome.targetItemId === itemId) break;
  }
  return targeted;
}

/** An item that can no longer fill the hold targeting it (missing, not holdable): retarget that hold. */
export async function retargetHoldsOnItem(run: TargetingRun, itemId: number): Promise<void> {
  const item = await run.trx
    .selectFrom('items')
    .leftJoin('shelving_locations', 'shelving_locations.id', 'items.location_id')
    .select(['items.status', 'items.holdable', 'items.circulates', 'shelving_locations.holdable as location_holdable'])
    .where('items.id', '=', itemId)
    .executeTakeFirst();
  // a target that can still fill its hold stays put: retargeting would only reshuffle pull lists
  if (item && item.status === 'available' && item.holdable && item.circulates && item.location_holdable !== false) return;
  const holds = await run.trx.selectFrom('holds').select('id').where('target_item_id', '=', itemId).where('status', '=', 'targeted').execute();
  for (const { id } of holds) await targetHold(run, id, 'target-unavailable');
}

/** After an item's status or holdability changed: free holds it can no longer fill, and fill waiting ones. */
export async function afterItemChanged(run: TargetingRun, itemId: number): Promise<void> {
  await retargetHoldsOnItem(run, itemId);
  await targetHoldsWaitingForItem(run, itemId);
}
