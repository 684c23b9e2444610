import { requireStaff } from '../../domain/actor';
import { notFound, ok, refuse, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import { actorEventFields, type ServiceContext } from '../context';
import { targetHold } from '../holds/target-hold';
import { startTargetingRun } from '../holds/targeting-run';
import { loadItemScreen, type ItemScreen } from '../item-screen';
import { inTransaction } from '../transaction';

// Cancel transit (DESIGN §4): a library on either end of a transit closes it — the receiving
// library no longer needs the item, or a slip has no patron. The item becomes transit-cancelled:
// not available, so no hold can target it until its next scan routes it. A hold the transit
// carried goes back to waiting and is retargeted at once, necessarily to some other copy.

export async function cancelTransit(ctx: ServiceContext, barcode: string, note: string | undefined): Promise<Result<ItemScreen>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const done = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    // the item row first, as the scan locks it, so a scan and a cancel of one item take turns
    const item = await trx.selectFrom('items').select(['id', 'record_id', 'status', 'current_library_id']).where('barcode', '=', barcode).forUpdate().executeTakeFirst();
    if (!item) return notFound(`Item ${barcode}`);
    const transit = await trx
      .selectFrom('transits as t')
      .innerJoin('libraries as src', 'src.id', 't.source_library_id')
      .innerJoin('libraries as dst', 'dst.id', 't.destination_library_id')
      .select(['t.id', 't.kind', 't.hold_id', 't.source_library_id', 't.destination_library_id', 'src.code as src_code', 'dst.code as dst_code'])
      .where('t.item_id', '=', item.id)
      .where('t.received_at', 'is', null)
      .where('t.cancelled_at', 'is', null)
      .executeTakeFirst();
    if (!transit) return refuse('INVALID_STATE', `Item ${barcode} is not in transit, so there is no transit to cancel.`);
    const ends = [transit.source_library_id, transit.destination_library_id];
    const atEnd = staff.value.libraryId !== null && ends.includes(staff.value.libraryId);
    if (!atEnd && staff.value.role !== 'consortium-admin') {
      return refuse('NOT_OWN_LIBRARY', `Only staff of ${transit.src_code} or ${transit.dst_code}, where this transit starts and ends, may cancel it.`);
    }
    const now = ctx.clock.now();
    // the item is in the hands of whoever cancels it; for the consortium office it stays put
    const here = atEnd ? staff.value.libraryId! : item.current_library_id;
    await trx.updateTable('transits').set({ cancelled_at: now, cancel_note: note ?? null }).where('id', '=', transit.id).execute();
    await trx.updateTable('items').set({ status: 'transit-cancelled', current_library_id: here, updated_at: now }).where('id', '=', item.id).execute();
    const base = { at: now, ...actorEventFields(ctx.actor), item_id: item.id, record_id: item.record_id, library_id: staff.value.libraryId };
    await recordEvent(trx, {
      ...base,
      kind: 'transit-cancelled',
      transit_id: transit.id,
      hold_id: transit.hold_id,
      reason: note ?? null,
      data: { kind: transit.kind, from: transit.src_code, to: transit.dst_code, before: item.status, after: 'transit-cancelled' },
    });
    if (transit.kind === 'hold' && transit.hold_id !== null) {
      const hold = await trx.selectFrom('holds').select(['id', 'status', 'captured_item_id', 'patron_id']).where('id', '=', transit.hold_id).forUpdate().executeTakeFirstOrThrow();
      // a hold cancelled on the way has nothing to go back to; only one still travelling with it does
      if (hold.status === 'in-transit' && hold.captured_item_id === item.id) {
        await trx
          .updateTable('holds')
          .set({ status: 'waiting', captured_item_id: null, captured_at: null, target_item_id: null, targeted_at: null })
          .where('id', '=', hold.id)
          .execute();
        await recordEvent(trx, { ...base, kind: 'hold-returned-to-waiting', hold_id: hold.id, patron_id: hold.patron_id, reason: 'transit cancelled', data: { transitId: transit.id } });
        await targetHold(await startTargetingRun(trx, ctx), hold.id, 'target-unavailable');
      }
    }
    return ok(null);
  });
  if (!done.ok) return done;
  const screen = await loadItemScreen(ctx.db, barcode, ctx.clock.now());
  return screen ? ok(screen) : notFound(`Item ${barcode}`);
}
