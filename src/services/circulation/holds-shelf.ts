import type { Actor } from '../../domain/actor';
import { ok, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import { actorEventFields, type Db, type ServiceContext, type Tx } from '../context';
import { reasonText, sendHoldCancelledMessages, type Canceller } from '../holds/hold-cancelled-messages';
import { loadLibraryFacts } from '../holds/library-facts';
import { queueHoldCancelledNotice } from '../notices/hold-cancelled-notice';
import { withdrawHoldReadyNotices } from '../notices/withdraw-hold-ready';
import { patronName, type PatronRef } from '../patron-view';
import { holdEventFacts } from '../reports/hold-event-facts';
import { inTransaction } from '../transaction';
import { libraryForStaff, type Paging } from './library-lists';

// The holds shelf of a library and its clearing (DESIGN §4 "Cancelling, holds shelf, problems").
// Clearing cancels each expired hold (reason not-picked-up) as any cancel does — a message to the
// other libraries involved, a notice to the patron; the items keep status on-holds-shelf until
// staff scan them, and that scan routes each one (the next patron in line, or home) — the same
// decision as any other scan.

export interface ShelfEntry {
  hold: { id: number };
  item: { barcode: string; title: string; callNumber: string };
  patron: PatronRef;
  shelvedAt: string | null;
  shelfExpiresAt: string | null;
  expired: boolean;
}

export interface ClearedItem {
  barcode: string;
  title: string;
  callNumber: string;
  patron: PatronRef;
}

/** The shelf's holds with their items and patrons, arranged as the shelf is: by patron name. */
function shelfQuery(db: Db, libraryId: number) {
  return db
    .selectFrom('holds as h')
    .innerJoin('items as i', 'i.id', 'h.captured_item_id')
    .innerJoin('records as r', 'r.id', 'i.record_id')
    .innerJoin('volumes as v', 'v.id', 'i.volume_id')
    .innerJoin('patrons as p', 'p.id', 'h.patron_id')
    .select([
      'h.id',
      'h.shelved_at',
      'h.shelf_expires_at',
      'h.notify_by',
      'h.pickup_library_id',
      'h.record_id',
      'i.id as item_id',
      'i.barcode',
      'r.title',
      'v.call_number',
      'p.id as patron_id',
      'p.barcode as patron_barcode',
      'p.first_name',
      'p.last_name',
      'p.email',
      'p.home_library_id',
      'i.owning_library_id',
    ])
    .where('h.status', '=', 'on-holds-shelf')
    .where('h.pickup_library_id', '=', libraryId)
    .orderBy((eb) => eb.fn('lower', ['p.last_name']))
    .orderBy((eb) => eb.fn('lower', ['p.first_name']))
    .orderBy('h.id');
}

export async function holdsShelf(ctx: ServiceContext, code: string, options: { expiredOnly: boolean } & Paging): Promise<Result<ShelfEntry[]>> {
  const library = await libraryForStaff(ctx, code);
  if (!library.ok) return library;
  const now = ctx.clock.now();
  let query = shelfQuery(ctx.db, library.value.id);
  if (options.expiredOnly) query = query.where('h.shelf_expires_at', '<=', now);
  const rows = await query.limit(options.limit).offset(options.offset).execute();
  return ok(
    rows.map((r) => ({
      hold: { id: r.id },
      item: { barcode: r.barcode, title: r.title, callNumber: r.call_number },
      patron: { barcode: r.patron_barcode, name: patronName(r.first_name, r.last_name) },
      shelvedAt: r.shelved_at?.toISOString() ?? null,
      shelfExpiresAt: r.shelf_expires_at?.toISOString() ?? null,
      expired: r.shelf_expires_at !== null && r.shelf_expires_at.getTime() <= now.getTime(),
    })),
  );
}

/** POST /libraries/:code/holds-shelf/clear: the desk's clear-shelf run for its own shelf. */
export async function clearHoldsShelf(ctx: ServiceContext, code: string): Promise<Result<{ cleared: number; items: ClearedItem[] }>> {
  const library = await libraryForStaff(ctx, code);
  if (!library.ok) return library;
  const { id, name } = library.value;
  // the library's own desk knows already; a consortium administrator clears from the office
  const atDesk = ctx.actor.kind === 'staff' && ctx.actor.libraryId === id;
  const canceller: Canceller = atDesk ? { deskLibraryId: id, actsForLibraryId: id, who: `staff of ${name}` } : { deskLibraryId: null, actsForLibraryId: null, who: 'the consortium office' };
  return inTransaction(ctx, async (trx) => {
    const items = await clearExpiredHolds(trx, id, ctx.clock.now(), ctx.actor, canceller);
    return ok({ cleared: items.length, items });
  });
}

/**
 * Cancels the expired holds on one library's shelf, inside the caller's transaction, as any hold
 * cancel does: the unsent hold-ready notice withdrawn, the other libraries involved messaged, the
 * patron told. Rows another transaction holds (a checkout at this very moment, the job in another
 * process) are skipped, so no hold is cancelled — nor anyone told — twice; the next run takes them.
 */
export async function clearExpiredHolds(trx: Tx, libraryId: number, now: Date, actor: Actor, canceller: Canceller): Promise<ClearedItem[]> {
  const locked = await trx
    .selectFrom('holds')
    .select('id')
    .where('status', '=', 'on-holds-shelf')
    .where('shelf_expires_at', '<=', now)
    .where('pickup_library_id', '=', libraryId)
    .forUpdate()
    .skipLocked()
    .execute();
  if (locked.length === 0) return [];
  const rows = await shelfQuery(trx, libraryId)
    .where('h.id', 'in', locked.map((h) => h.id))
    .execute();
  await trx
    .updateTable('holds')
    .set({ status: 'cancelled', cancel_reason: 'not-picked-up', cancelled_at: now })
    .where('id', 'in', rows.map((r) => r.id))
    .execute();
  const libraries = await loadLibraryFacts(trx);
  const pickupName = libraries.ref(libraryId).name;
  for (const r of rows) {
    const name = patronName(r.first_name, r.last_name);
    await withdrawHoldReadyNotices(trx, r.id);
    const messaged = await sendHoldCancelledMessages(
      trx,
      {
        id: r.id,
        status: 'on-holds-shelf',
        title: r.title,
        patron: { id: r.patron_id, barcode: r.patron_barcode, name, homeLibraryId: r.home_library_id },
        pickupLibraryId: libraryId,
        item: { id: r.item_id, barcode: r.barcode, owningLibraryId: r.owning_library_id, captured: true },
        reason: 'not-picked-up',
        note: null,
      },
      canceller,
      libraries,
      now,
    );
    const notice = { holdId: r.id, patronId: r.patron_id, patronName: name, pickupLibraryId: libraryId, pickupLibraryName: pickupName, title: r.title };
    const emailed = await queueHoldCancelledNotice(trx, { ...notice, email: r.email, notifyBy: r.notify_by, reason: reasonText('not-picked-up') }, now);
    if (!emailed) await queueNotPickedUpCall(trx, notice, now);
    await recordEvent(trx, {
      at: now,
      kind: 'hold-cancelled',
      ...actorEventFields(actor),
      library_id: canceller.deskLibraryId,
      hold_id: r.id,
      item_id: r.item_id,
      patron_id: r.patron_id,
      record_id: r.record_id,
      reason: 'not-picked-up',
      data: {
        previousStatus: 'on-holds-shelf',
        shelfExpiresAt: r.shelf_expires_at?.toISOString() ?? null,
        messaged: messaged.map((id) => libraries.ref(id).code),
        patronNotice: emailed ? 'email' : 'phone-call',
        ...holdEventFacts({
          barcode: r.patron_barcode,
          firstName: r.first_name,
          lastName: r.last_name,
          homeLibraryCode: libraries.ref(r.home_library_id).code,
          title: r.title,
          pickupLibraryCode: libraries.ref(libraryId).code,
        }),
        lendingLibrary: libraries.ref(r.owning_library_id).code,
      },
    });
  }
  return rows.map((r) => ({
    barcode: r.barcode,
    title: r.title,
    callNumber: r.call_number,
    patron: { barcode: r.patron_barcode, name: patronName(r.first_name, r.last_name) },
  }));
}

/**
 * A patron with no email choice hears by phone (SCENARIOS 36: clearing "queues a notice to the
 * patron"): they may never have learnt the item was waiting, and should know it has gone back.
 */
async function queueNotPickedUpCall(
  trx: Tx,
  n: { holdId: number; patronId: number; patronName: string; pickupLibraryId: number; pickupLibraryName: string; title: string },
  now: Date,
): Promise<void> {
  await trx
    .insertInto('notices')
    .values({
      kind: 'hold-cancelled',
      channel: 'phone-call',
      patron_id: n.patronId,
      library_id: n.pickupLibraryId,
      hold_id: n.holdId,
      to_address: null,
      subject: `Hold not picked up: ${n.title}`,
      body: `Tell ${n.patronName} that "${n.title}" waited on the holds shelf at ${n.pickupLibraryName} but was not picked up in time, so the hold is cancelled and the item goes back. They are welcome to place a new hold.`,
      created_at: now,
      send_after: now,
    })
    .execute();
}
