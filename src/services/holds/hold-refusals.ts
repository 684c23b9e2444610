import { requireOwnLibrary, requireStaff } from '../../domain/actor';
import { notFound, ok, refuse, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import { actorEventFields, type ServiceContext, type Tx } from '../context';
import { inTransaction } from '../transaction';
import { loadHoldViews, type HoldView } from './hold-view';
import { targetHoldsWaitingForItem } from './item-availability';
import { sendItemMissingMessage } from './item-missing-message';
import { targetHold, type TargetingTrigger } from './target-hold';
import { startTargetingRun } from './targeting-run';

// A library that cannot fill a hold it was asked to (redirect) or cannot find the item on its
// shelf (not on shelf) refuses it: that library is excluded for this hold for good, and the hold
// is retargeted at once.

interface Refused {
  holdId: number;
  itemId: number;
  libraryId: number;
  patronId: number;
  recordId: number;
}

async function loadTargetedHold(ctx: ServiceContext, trx: Tx, holdId: number): Promise<Result<Refused>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const hold = await trx
    .selectFrom('holds')
    .leftJoin('items', 'items.id', 'holds.target_item_id')
    .leftJoin('libraries', 'libraries.id', 'items.owning_library_id')
    .select(['holds.id', 'holds.status', 'holds.patron_id', 'holds.record_id', 'items.id as item_id', 'items.owning_library_id', 'libraries.code'])
    .where('holds.id', '=', holdId)
    .forUpdate('holds')
    .executeTakeFirst();
  if (!hold) return notFound(`Hold ${holdId}`);
  if (hold.status !== 'targeted' || hold.item_id === null || hold.owning_library_id === null) {
    return refuse('INVALID_STATE', 'This hold has no target on a pull list right now, so there is nothing to refuse.');
  }
  const own = requireOwnLibrary(staff.value, hold.owning_library_id, hold.code ?? '');
  if (!own.ok) return refuse('NOT_OWN_LIBRARY', `Only staff of ${hold.code}, whose item this hold targets, may do this.`);
  return ok({ holdId: hold.id, itemId: hold.item_id, libraryId: hold.owning_library_id, patronId: hold.patron_id, recordId: hold.record_id });
}

async function refuseHold(
  ctx: ServiceContext,
  holdId: number,
  trigger: Extract<TargetingTrigger, 'redirected' | 'not-on-shelf'>,
  note: string | undefined,
): Promise<Result<HoldView>> {
  const done = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    const loaded = await loadTargetedHold(ctx, trx, holdId);
    if (!loaded.ok) return loaded;
    const hold = loaded.value;
    const now = ctx.clock.now();
    await trx
      .insertInto('hold_exclusions')
      .values({ hold_id: hold.holdId, library_id: hold.libraryId, reason: 'refused', at: now })
      .onConflict((oc) => oc.columns(['hold_id', 'library_id', 'reason']).doNothing())
      .execute();
    const base = { at: now, ...actorEventFields(ctx.actor), hold_id: hold.holdId, item_id: hold.itemId, patron_id: hold.patronId, record_id: hold.recordId, library_id: hold.libraryId };
    await recordEvent(trx, { ...base, kind: trigger === 'redirected' ? 'hold-redirected' : 'hold-not-on-shelf', reason: note ?? null, data: {} });
    if (trigger === 'not-on-shelf') {
      await trx.updateTable('items').set({ status: 'missing', updated_at: now }).where('id', '=', hold.itemId).execute();
      await recordEvent(trx, { ...base, kind: 'item-missing', reason: 'not on shelf for a hold', data: { before: 'available', after: 'missing' } });
      await sendItemMissingMessage(trx, { holdId: hold.holdId, itemId: hold.itemId, libraryId: hold.libraryId }, ctx.actor, now);
    }
    const run = await startTargetingRun(trx, ctx);
    await targetHold(run, hold.holdId, trigger);
    // a redirected item is still on its shelf: the next patron in line may use it
    if (trigger === 'redirected') await targetHoldsWaitingForItem(run, hold.itemId);
    return ok(null);
  });
  if (!done.ok) return done;
  const [view] = await loadHoldViews(ctx.db, [holdId]);
  return ok(view);
}

export function redirectHold(ctx: ServiceContext, holdId: number, note?: string): Promise<Result<HoldView>> {
  return refuseHold(ctx, holdId, 'redirected', note);
}

export function markNotOnShelf(ctx: ServiceContext, holdId: number): Promise<Result<HoldView>> {
  return refuseHold(ctx, holdId, 'not-on-shelf', undefined);
}
