import { requireSignedIn, type Actor } from '../../domain/actor';
import type { HoldStatus } from '../../domain/holds/hold-status';
import { notFound, ok, refuse, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import { actorEventFields, type ServiceContext, type Tx } from '../context';
import { queueHoldCancelledNotice } from '../notices/hold-cancelled-notice';
import { withdrawHoldReadyNotices } from '../notices/withdraw-hold-ready';
import { patronName } from '../patron-view';
import { holdEventFacts } from '../reports/hold-event-facts';
import { inTransaction } from '../transaction';
import { reasonText, sendHoldCancelledMessages, type CancelledHold, type CancelReason, type Canceller } from './hold-cancelled-messages';
import { loadHoldViews, type HoldView } from './hold-view';
import { targetHoldsWaitingForItem } from './item-availability';
import { loadLibraryFacts } from './library-facts';
import { startTargetingRun } from './targeting-run';

// Cancelling a hold (DESIGN §4 "Cancelling"): it needs a reason. A target is released and the
// waiting holds that copy can fill are targeted in the same request; a captured item stays where
// it is and its next scan routes it. The other libraries involved get a message, the patron a
// notice (unless they cancelled it themselves).

export const cancelReasons = ['patron-request', 'staff', 'lender-unable', 'not-picked-up', 'other'] as const satisfies readonly CancelReason[];

export interface CancelInput {
  reason: CancelReason;
  note?: string;
}

type HoldToCancel = NonNullable<Awaited<ReturnType<typeof lockHold>>>;

function lockHold(trx: Tx, id: number) {
  return trx
    .selectFrom('holds as h')
    .innerJoin('patrons as p', 'p.id', 'h.patron_id')
    .innerJoin('records as r', 'r.id', 'h.record_id')
    .innerJoin('libraries as pickup', 'pickup.id', 'h.pickup_library_id')
    .leftJoin('items as t', 't.id', 'h.target_item_id')
    .leftJoin('items as c', 'c.id', 'h.captured_item_id')
    .select([
      'h.id',
      'h.status',
      'h.record_id',
      'h.pickup_library_id',
      'h.notify_by',
      'h.patron_id',
      'p.barcode',
      'p.first_name',
      'p.last_name',
      'p.email',
      'p.home_library_id',
      'r.title',
      'pickup.name as pickup_name',
      't.id as target_id',
      't.barcode as target_barcode',
      't.owning_library_id as target_owner',
      'c.id as captured_id',
      'c.barcode as captured_barcode',
      'c.owning_library_id as captured_owner',
    ])
    .where('h.id', '=', id)
    .forUpdate('h')
    .executeTakeFirst();
}

/** The item the hold is bound to now: its capture once captured, else its target. */
function involvedItem(hold: HoldToCancel): CancelledHold['item'] {
  const status = hold.status as HoldStatus;
  if ((status === 'in-transit' || status === 'on-holds-shelf') && hold.captured_id !== null) {
    return { id: hold.captured_id, barcode: hold.captured_barcode!, owningLibraryId: hold.captured_owner!, captured: true };
  }
  if (status === 'targeted' && hold.target_id !== null) return { id: hold.target_id, barcode: hold.target_barcode!, owningLibraryId: hold.target_owner!, captured: false };
  return null;
}

/** The patron (for a request of their own), staff of any library the hold involves, or the consortium office. */
function mayCancel(actor: Actor, hold: HoldToCancel, reason: CancelReason): Result<Canceller> {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.ok) return signedIn;
  const who = signedIn.value;
  if (who.kind === 'patron') {
    if (who.patronId !== hold.patron_id) return refuse('FORBIDDEN', 'A patron cancels only their own holds.');
    if (reason !== 'patron-request') return refuse('FORBIDDEN', 'A patron cancels their own hold with the reason patron-request.');
    return ok({ deskLibraryId: null, actsForLibraryId: hold.home_library_id, who: 'the patron' });
  }
  if (who.role === 'consortium-admin' && who.libraryId === null) return ok({ deskLibraryId: null, actsForLibraryId: null, who: 'the consortium office' });
  const involved = [hold.home_library_id, hold.pickup_library_id, hold.target_owner, hold.captured_owner];
  if (who.role !== 'consortium-admin' && (who.libraryId === null || !involved.includes(who.libraryId))) {
    return refuse('NOT_OWN_LIBRARY', `You work at ${who.libraryCode}: only staff of the patron's library, the pickup library or the library whose item it is may cancel this hold.`);
  }
  return ok({ deskLibraryId: who.libraryId, actsForLibraryId: who.libraryId, who: `staff of ${who.libraryCode}` });
}

export async function cancelHold(ctx: ServiceContext, holdId: number, input: CancelInput): Promise<Result<HoldView>> {
  const signedIn = requireSignedIn(ctx.actor);
  if (!signedIn.ok) return signedIn;
  const done = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    const hold = await lockHold(trx, holdId);
    if (!hold) return notFound(`Hold ${holdId}`);
    const canceller = mayCancel(ctx.actor, hold, input.reason);
    if (!canceller.ok) return canceller;
    if (hold.status === 'fulfilled' || hold.status === 'cancelled') return refuse('INVALID_STATE', `This hold is already ${hold.status}: there is nothing to cancel.`);
    await applyHoldCancel(ctx, trx, hold, input, canceller.value);
    return ok(null);
  });
  if (!done.ok) return done;
  const [view] = await loadHoldViews(ctx.db, [holdId]);
  return ok(view);
}

async function applyHoldCancel(ctx: ServiceContext, trx: Tx, hold: HoldToCancel, input: CancelInput, canceller: Canceller): Promise<void> {
  const now = ctx.clock.now();
  const item = involvedItem(hold);
  const released = item && !item.captured ? item : null;
  await trx
    .updateTable('holds')
    .set({
      status: 'cancelled',
      cancelled_at: now,
      cancel_reason: input.reason,
      cancel_note: input.note ?? null,
      // a target is let go at once; a captured item stays bound until its next scan routes it
      ...(released ? { target_item_id: null, targeted_at: null } : {}),
    })
    .where('id', '=', hold.id)
    .execute();
  await withdrawHoldReadyNotices(trx, hold.id);
  const libraries = await loadLibraryFacts(trx);
  const name = patronName(hold.first_name, hold.last_name);
  const cancelled: CancelledHold = {
    id: hold.id,
    status: hold.status,
    title: hold.title,
    patron: { id: hold.patron_id, barcode: hold.barcode, name, homeLibraryId: hold.home_library_id },
    pickupLibraryId: hold.pickup_library_id,
    item,
    reason: input.reason,
    note: input.note ?? null,
  };
  const messagedLibraries = await sendHoldCancelledMessages(trx, cancelled, canceller, libraries, now);
  const notified =
    ctx.actor.kind !== 'patron' &&
    (await queueHoldCancelledNotice(
      trx,
      { holdId: hold.id, patronId: hold.patron_id, patronName: name, email: hold.email, notifyBy: hold.notify_by, pickupLibraryId: hold.pickup_library_id, pickupLibraryName: hold.pickup_name, title: hold.title, reason: reasonText(input.reason) },
      now,
    ));
  await recordEvent(trx, {
    at: now,
    kind: 'hold-cancelled',
    ...actorEventFields(ctx.actor),
    hold_id: hold.id,
    item_id: item?.id ?? null,
    patron_id: hold.patron_id,
    record_id: hold.record_id,
    library_id: canceller.deskLibraryId,
    reason: input.reason,
    data: {
      note: input.note ?? null,
      previousStatus: hold.status,
      messaged: messagedLibraries.map((id) => libraries.ref(id).code),
      patronNotified: notified,
      ...holdEventFacts({
        barcode: hold.barcode,
        firstName: hold.first_name,
        lastName: hold.last_name,
        homeLibraryCode: libraries.ref(hold.home_library_id).code,
        title: hold.title,
        pickupLibraryCode: libraries.ref(hold.pickup_library_id).code,
      }),
      // a copy already captured was lent for this hold, even if it never reaches the patron
      ...(item?.captured ? { lendingLibrary: libraries.ref(item.owningLibraryId).code } : {}),
    },
  });
  // the released copy is free again: the next patron in line may have it, and no one else moves
  if (released) await targetHoldsWaitingForItem(await startTargetingRun(trx, ctx, libraries), released.id);
}
