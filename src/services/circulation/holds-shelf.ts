import type { Actor } from '../../domain/actor';
import { ok, type Result } from '../../domain/refusal';
import { recordEvent } from '../../db/events';
import { actorEventFields, type Db, type ServiceContext, type Tx } from '../context';
import { patronName, type PatronRef } from '../patron-view';
import { inTransaction } from '../transaction';
import { libraryForStaff, type Paging } from './library-lists';

// The holds shelf of a library and its clearing (DESIGN §4 "Cancelling, holds shelf, problems").
// Clearing cancels each expired hold (reason not-picked-up) and queues a hold-cancelled notice to
// the patron; the items keep status on-holds-shelf until staff scan them, and that scan routes
// each one (the next patron in line, or home) — the same decision as any other scan.

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
  return inTransaction(ctx, async (trx) => {
    const items = await clearExpiredHolds(trx, library.value.id, ctx.clock.now(), ctx.actor);
    return ok({ cleared: items.length, items });
  });
}

/**
 * Cancels the expired holds on one library's shelf, inside the caller's transaction. Rows another
 * transaction holds (a checkout at this very moment, the job in another process) are skipped, so
 * no hold is cancelled — nor its patron told — twice; the next run takes them if still expired.
 */
export async function clearExpiredHolds(trx: Tx, libraryId: number, now: Date, actor: Actor): Promise<ClearedItem[]> {
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
  const library = await trx.selectFrom('libraries').select('name').where('id', '=', libraryId).executeTakeFirstOrThrow();
  for (const r of rows) {
    await recordEvent(trx, {
      at: now,
      kind: 'hold-cancelled',
      ...actorEventFields(actor),
      library_id: r.pickup_library_id,
      hold_id: r.id,
      item_id: r.item_id,
      patron_id: r.patron_id,
      record_id: r.record_id,
      reason: 'not-picked-up',
      data: { shelfExpiresAt: r.shelf_expires_at?.toISOString() ?? null, by: 'clear-shelf' },
    });
    await queueNotPickedUpNotice(trx, r, library.name, now);
  }
  // a hold-ready email not yet sent or call not yet made would now send the patron for nothing
  await trx
    .updateTable('notices')
    .set({ state: 'cancelled' })
    .where('hold_id', 'in', rows.map((r) => r.id))
    .where('kind', '=', 'hold-ready')
    .where('state', '=', 'pending')
    .execute();
  return rows.map((r) => ({
    barcode: r.barcode,
    title: r.title,
    callNumber: r.call_number,
    patron: { barcode: r.patron_barcode, name: patronName(r.first_name, r.last_name) },
  }));
}

type ShelfRow = Awaited<ReturnType<ReturnType<typeof shelfQuery>['execute']>>[number];

/** Email when the patron chose email for this hold and has an address; otherwise a phone-call task. */
async function queueNotPickedUpNotice(trx: Tx, r: ShelfRow, libraryName: string, now: Date): Promise<void> {
  const email = r.notify_by.includes('email') && r.email ? r.email : null;
  const name = patronName(r.first_name, r.last_name);
  await trx
    .insertInto('notices')
    .values({
      kind: 'hold-cancelled',
      channel: email ? 'email' : 'phone-call',
      patron_id: r.patron_id,
      library_id: r.pickup_library_id,
      hold_id: r.id,
      to_address: email,
      subject: `Your hold was cancelled: ${r.title}`,
      body: `Dear ${name},\n\n"${r.title}" waited for you on the holds shelf at ${libraryName} but was not picked up in time, so your hold is cancelled and the item goes back to the library. You are welcome to place a new hold.\n\n${libraryName}`,
      created_at: now,
      send_after: now,
    })
    .execute();
}
