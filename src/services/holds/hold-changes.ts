import { requireSignedIn } from '../../domain/actor';
import { invalid, notFound, ok, refuse, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import { actorEventFields, type ServiceContext, type Tx } from '../context';
import { inTransaction } from '../transaction';
import { loadHoldViews, type HoldView } from './hold-view';
import { targetHoldsWaitingForItem } from './item-availability';
import { targetHold } from './target-hold';
import { startTargetingRun } from './targeting-run';

export interface HoldPatch {
  pickupLibraryCode?: string;
  /** A date to sit out until, or null to take part again now. */
  suspendedUntil?: string | null;
  notifyBy?: ('email' | 'phone')[];
}

type HoldRow = NonNullable<Awaited<ReturnType<typeof lockHold>>>;

function lockHold(trx: Tx, id: number) {
  return trx
    .selectFrom('holds')
    .innerJoin('patrons', 'patrons.id', 'holds.patron_id')
    .select(['holds.id', 'holds.status', 'holds.patron_id', 'holds.record_id', 'holds.target_item_id', 'holds.pickup_library_id', 'holds.suspended_until', 'patrons.home_library_id', 'patrons.email', 'patrons.phone'])
    .where('holds.id', '=', id)
    .forUpdate('holds')
    .executeTakeFirst();
}

async function checkPickup(trx: Tx, hold: HoldRow, code: string): Promise<Result<number>> {
  const pickup = await trx.selectFrom('libraries').select(['id', 'code', 'kind', 'participates_in_lending']).where('code', '=', code).executeTakeFirst();
  if (!pickup) return notFound(`Library ${code}`);
  if (pickup.kind !== 'library') return invalid('pickupLibraryCode', `${code} is a system; holds are picked up at one of its libraries.`);
  const home = await trx.selectFrom('libraries').select(['code', 'participates_in_lending']).where('id', '=', hold.home_library_id).executeTakeFirstOrThrow();
  const atHome = pickup.id === hold.home_library_id;
  if (!home.participates_in_lending && !atHome) return refuse('PICKUP_NOT_ALLOWED', `${home.code} is not in the lending program: its patrons pick up holds only at ${home.code}.`);
  if (!pickup.participates_in_lending && !atHome) return refuse('PICKUP_NOT_ALLOWED', `${code} is not in the lending program: only its own patrons pick up holds there.`);
  return ok(pickup.id);
}

/** Changes pickup library, suspension or notice choice of an open hold not yet captured. */
export async function changeHold(ctx: ServiceContext, id: number, patch: HoldPatch): Promise<Result<HoldView>> {
  const signedIn = requireSignedIn(ctx.actor);
  if (!signedIn.ok) return signedIn;
  const done = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    const hold = await lockHold(trx, id);
    if (!hold) return notFound(`Hold ${id}`);
    if (ctx.actor.kind === 'patron' && ctx.actor.patronId !== hold.patron_id) return refuse('FORBIDDEN', 'A patron changes only their own holds.');
    const uncaptured = hold.status === 'waiting' || hold.status === 'targeted' || hold.status === 'suspended';
    if ((patch.pickupLibraryCode !== undefined || patch.suspendedUntil !== undefined) && !uncaptured) {
      return refuse('INVALID_STATE', `This hold is ${hold.status}: its item is already set aside, so its pickup library and suspension can no longer change.`);
    }
    const now = ctx.clock.now();
    const run = await startTargetingRun(trx, ctx);
    const changes: Record<string, unknown> = {};
    let status = hold.status;
    let releasedItem: number | null = null;
    let retarget = false;
    if (patch.notifyBy !== undefined) {
      if (patch.notifyBy.includes('email') && !hold.email) return invalid('notifyBy', 'This patron has no email address to be notified at.');
      if (patch.notifyBy.includes('phone') && !hold.phone) return invalid('notifyBy', 'This patron has no phone number to be called at.');
      changes.notify_by = [...new Set(patch.notifyBy)];
    }
    if (patch.pickupLibraryCode !== undefined) {
      const pickup = await checkPickup(trx, hold, patch.pickupLibraryCode);
      if (!pickup.ok) return pickup;
      if (pickup.value !== hold.pickup_library_id) {
        changes.pickup_library_id = pickup.value;
        retarget = true;
      }
    }
    if (patch.suspendedUntil !== undefined && patch.suspendedUntil !== null) {
      const today = run.libraries.todayAt(changes.pickup_library_id === undefined ? hold.pickup_library_id : (changes.pickup_library_id as number), now);
      if (patch.suspendedUntil <= today) return invalid('suspendedUntil', 'A hold is suspended until a date after today.');
      changes.suspended_until = patch.suspendedUntil;
      changes.status = 'suspended';
      changes.target_item_id = null;
      changes.targeted_at = null;
      releasedItem = hold.target_item_id;
      status = 'suspended';
      retarget = false;
    } else if (patch.suspendedUntil === null && hold.status === 'suspended') {
      changes.suspended_until = null;
      changes.status = 'waiting';
      status = 'waiting';
      retarget = true;
    }
    if (Object.keys(changes).length === 0) return ok(null);
    await trx.updateTable('holds').set(changes).where('id', '=', hold.id).execute();
    const kind = status === 'suspended' && hold.status !== 'suspended' ? 'hold-suspended' : changes.status === 'waiting' ? 'hold-resumed' : 'hold-updated';
    await recordEvent(trx, {
      at: now,
      kind,
      ...actorEventFields(ctx.actor),
      hold_id: hold.id,
      patron_id: hold.patron_id,
      record_id: hold.record_id,
      item_id: releasedItem,
      data: { ...patch },
    });
    if (retarget && status !== 'suspended') {
      const outcome = await targetHold(run, hold.id, changes.status === 'waiting' ? 'resumed' : 'pickup-changed');
      if (hold.target_item_id !== null && outcome.targetItemId !== hold.target_item_id) releasedItem = hold.target_item_id;
    }
    if (releasedItem !== null) await targetHoldsWaitingForItem(run, releasedItem);
    return ok(null);
  });
  if (!done.ok) return done;
  const [view] = await loadHoldViews(ctx.db, [id]);
  return ok(view);
}
