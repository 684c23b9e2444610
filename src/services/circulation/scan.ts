import { requireStaff } from '../../domain/actor';
import { shelfExpiresAt } from '../../domain/circulation/shelf-expiry';
import { notFound, ok, type Result } from '../../domain/refusal';
import { decideScan, type ScanDecision } from '../../domain/scan/decide-scan';
import { recordEvent, type EventInput } from '../../db/events';
import { actorEventFields, type ServiceContext, type Tx } from '../context';
import { loadLibraryFacts, type LibraryFacts } from '../holds/library-facts';
import { queueHoldReadyNotice } from '../notices/hold-ready-notice';
import { inTransaction } from '../transaction';
import { deskLibrary } from './desk-library';
import { scanAnswer, type ScanAnswer } from './scan-answer';
import { loadScanSnapshot, type LoadedScan } from './scan-snapshot';

// The one scan: check in and capture in one call (DESIGN §4). Load the item's snapshot, decide
// in the domain, apply the outcome with its events and notice in the same transaction. A scan
// that changes nothing writes nothing and answers the same.

type EventBase = Omit<EventInput, 'kind' | 'data'>;

export async function scanItem(ctx: ServiceContext, barcode: string, libraryCode?: string): Promise<Result<ScanAnswer>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const desk = await deskLibrary(ctx.db, staff.value, libraryCode);
  if (!desk.ok) return desk;
  const here = desk.value;
  return inTransaction(ctx, async (trx): Promise<Result<ScanAnswer>> => {
    const now = ctx.clock.now();
    const libraries = await loadLibraryFacts(trx);
    const loaded = await loadScanSnapshot(trx, barcode, here, libraries, now);
    if (!loaded) return notFound(`Item ${barcode}`);
    const decision = decideScan(loaded.snapshot);
    const applied = decision.changed ? await applyScan(ctx, trx, loaded, decision, libraries, now) : { transitId: await openTransitId(trx, loaded.snapshot.item.id) };
    return ok(await scanAnswer(trx, loaded, decision, libraries, applied.transitId));
  });
}

async function openTransitId(trx: Tx, itemId: number): Promise<number | null> {
  const t = await trx.selectFrom('transits').select('id').where('item_id', '=', itemId).where('received_at', 'is', null).where('cancelled_at', 'is', null).executeTakeFirst();
  return t?.id ?? null;
}

async function applyScan(ctx: ServiceContext, trx: Tx, loaded: LoadedScan, d: ScanDecision, libraries: LibraryFacts, now: Date): Promise<{ transitId: number | null }> {
  const { snapshot, recordId } = loaded;
  const item = snapshot.item;
  const here = snapshot.libraryId;
  const e = d.effects;
  const base: EventBase = { at: now, ...actorEventFields(ctx.actor), item_id: item.id, record_id: recordId, library_id: here };
  const patronOf = (holdId: number) => loaded.holdPatron.get(holdId) ?? null;
  if (e.receiveTransitId !== null) {
    await trx.updateTable('transits').set({ received_at: now }).where('id', '=', e.receiveTransitId).execute();
    await recordEvent(trx, { ...base, kind: 'transit-received', transit_id: e.receiveTransitId, hold_id: snapshot.transit?.holdId ?? null, data: { kind: snapshot.transit?.kind } });
  }
  if (e.closeLoanId !== null) {
    await trx.updateTable('loans').set({ returned_at: now, returned_library_id: here }).where('id', '=', e.closeLoanId).execute();
    await recordEvent(trx, { ...base, kind: 'item-returned', loan_id: e.closeLoanId, patron_id: loaded.loanPatronId, data: {} });
  }
  if (e.markFound) await recordEvent(trx, { ...base, kind: 'item-found', data: { before: item.status } });
  if (e.captureHoldId !== null) {
    await trx
      .updateTable('holds')
      .set({ status: e.shelveHoldId === e.captureHoldId ? 'on-holds-shelf' : 'in-transit', captured_item_id: item.id, captured_at: now })
      .where('id', '=', e.captureHoldId)
      .execute();
    await recordEvent(trx, { ...base, kind: 'hold-captured', hold_id: e.captureHoldId, patron_id: patronOf(e.captureHoldId), data: { pickupLibrary: libraries.ref(snapshot.holds.find((h) => h.id === e.captureHoldId)!.pickupLibraryId).code } });
  }
  if (e.shelveHoldId !== null) await shelveForHold(trx, loaded, e.shelveHoldId, d, libraries, now, base);
  let transitId: number | null = null;
  if (e.newTransit !== null) {
    const transit = await trx
      .insertInto('transits')
      .values({
        item_id: item.id,
        kind: e.newTransit.kind,
        hold_id: e.newTransit.holdId,
        source_library_id: here,
        destination_library_id: e.newTransit.toLibraryId,
        sent_at: now,
        sent_by_staff_id: ctx.actor.kind === 'staff' ? ctx.actor.staffId : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    transitId = transit.id;
    await recordEvent(trx, {
      ...base,
      kind: 'transit-sent',
      transit_id: transit.id,
      hold_id: e.newTransit.holdId,
      patron_id: e.newTransit.holdId === null ? null : patronOf(e.newTransit.holdId),
      data: { kind: e.newTransit.kind, to: libraries.ref(e.newTransit.toLibraryId).code },
    });
  }
  await trx.updateTable('items').set({ status: e.itemStatus, current_library_id: e.itemCurrentLibraryId, updated_at: now }).where('id', '=', item.id).execute();
  if (e.itemStatus !== item.status) await recordEvent(trx, { ...base, kind: 'item-status-changed', data: { before: item.status, after: e.itemStatus, by: 'scan' } });
  return { transitId: transitId ?? (e.receiveTransitId === null ? await openTransitId(trx, item.id) : null) };
}

async function shelveForHold(trx: Tx, loaded: LoadedScan, holdId: number, d: ScanDecision, libraries: LibraryFacts, now: Date, base: EventBase): Promise<void> {
  const hold = loaded.snapshot.holds.find((h) => h.id === holdId)!;
  const pickup = await trx.selectFrom('libraries').select(['id', 'name', 'timezone', 'hold_shelf_days']).where('id', '=', hold.pickupLibraryId).executeTakeFirstOrThrow();
  const expires = shelfExpiresAt(now, { calendar: libraries.calendar(pickup.id), timezone: pickup.timezone, holdShelfDays: pickup.hold_shelf_days });
  await trx.updateTable('holds').set({ status: 'on-holds-shelf', shelved_at: now, shelf_expires_at: expires }).where('id', '=', holdId).execute();
  const patron = loaded.patrons.get(loaded.holdPatron.get(holdId)!)!;
  await recordEvent(trx, { ...base, kind: 'hold-shelved', hold_id: holdId, patron_id: patron.id, data: { shelfExpiresAt: expires.toISOString(), notice: d.notice } });
  await queueHoldReadyNotice(
    trx,
    {
      holdId,
      patronId: patron.id,
      patronName: patron.name,
      email: patron.email,
      channel: d.notice ?? 'phone-call',
      pickupLibraryId: pickup.id,
      pickupLibraryName: pickup.name,
      title: loaded.title,
      shelfExpiresAt: expires,
      timezone: pickup.timezone,
    },
    now,
  );
}
