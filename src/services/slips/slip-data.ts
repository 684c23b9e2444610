import { requireStaff } from '../../domain/actor';
import { notFound, ok, refuse, type Result } from '../../domain/refusal';
import type { ServiceContext } from '../context';
import type { LibraryRef } from '../library-view';

// What a slip prints, read in one query per slip. Slips are printed at the desk that scanned the
// item, at any library (a slip is reprinted where the item is), so any staff member from
// circulation up may read any slip; patrons and anonymous callers may not: slips name patrons.

export interface SlipPatron {
  firstName: string;
  lastName: string;
  barcode: string;
}

export interface TransitSlipData {
  transitId: number;
  kind: 'hold' | 'return';
  source: LibraryRef;
  /** The source library's zone: the sent date is the one on the sending desk's calendar. */
  sourceTimezone: string;
  destination: LibraryRef;
  sentAt: Date;
  /** A transit cancelled from the item screen: its slip is void, and says so. */
  cancelled: boolean;
  item: { barcode: string; title: string; callNumber: string };
  /** The hold a hold transit travels for; null on a return transit. */
  hold: { id: number; cancelled: boolean; patron: SlipPatron; pickupLibrary: LibraryRef } | null;
}

export interface HoldShelfSlipData {
  holdId: number;
  patron: SlipPatron;
  pickupLibrary: LibraryRef;
  /** The pickup library's zone: "pickup by" is a date on its calendar. */
  pickupTimezone: string;
  shelfExpiresAt: Date;
  title: string;
  itemBarcode: string;
}

export async function loadTransitSlip(ctx: ServiceContext, transitId: number): Promise<Result<TransitSlipData>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const row = await ctx.db
    .selectFrom('transits as t')
    .innerJoin('items as i', 'i.id', 't.item_id')
    .innerJoin('records as r', 'r.id', 'i.record_id')
    .innerJoin('volumes as v', 'v.id', 'i.volume_id')
    .innerJoin('libraries as src', 'src.id', 't.source_library_id')
    .innerJoin('libraries as dst', 'dst.id', 't.destination_library_id')
    .leftJoin('holds as h', 'h.id', 't.hold_id')
    .leftJoin('patrons as p', 'p.id', 'h.patron_id')
    .leftJoin('libraries as pick', 'pick.id', 'h.pickup_library_id')
    .select([
      't.id',
      't.kind',
      't.sent_at',
      't.cancelled_at',
      'src.code as source_code',
      'src.name as source_name',
      'src.timezone as source_timezone',
      'dst.code as destination_code',
      'dst.name as destination_name',
      'i.barcode as item_barcode',
      'r.title',
      'v.call_number',
      'h.id as hold_id',
      'h.status as hold_status',
      'p.first_name',
      'p.last_name',
      'p.barcode as patron_barcode',
      'pick.code as pickup_code',
      'pick.name as pickup_name',
    ])
    .where('t.id', '=', transitId)
    .executeTakeFirst();
  if (!row) return notFound(`Transit ${transitId}`);
  const hold =
    row.hold_id === null || row.first_name === null || row.last_name === null || row.patron_barcode === null || row.pickup_code === null || row.pickup_name === null
      ? null
      : {
          id: row.hold_id,
          cancelled: row.hold_status === 'cancelled',
          patron: { firstName: row.first_name, lastName: row.last_name, barcode: row.patron_barcode },
          pickupLibrary: { code: row.pickup_code, name: row.pickup_name },
        };
  return ok({
    transitId: row.id,
    kind: row.kind,
    source: { code: row.source_code, name: row.source_name },
    sourceTimezone: row.source_timezone,
    destination: { code: row.destination_code, name: row.destination_name },
    sentAt: new Date(row.sent_at),
    cancelled: row.cancelled_at !== null,
    item: { barcode: row.item_barcode, title: row.title, callNumber: row.call_number },
    hold,
  });
}

export async function loadHoldShelfSlip(ctx: ServiceContext, holdId: number): Promise<Result<HoldShelfSlipData>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const row = await ctx.db
    .selectFrom('holds as h')
    .innerJoin('patrons as p', 'p.id', 'h.patron_id')
    .innerJoin('records as r', 'r.id', 'h.record_id')
    .innerJoin('libraries as pick', 'pick.id', 'h.pickup_library_id')
    .leftJoin('items as i', 'i.id', 'h.captured_item_id')
    .select([
      'h.id',
      'h.shelf_expires_at',
      'p.first_name',
      'p.last_name',
      'p.barcode as patron_barcode',
      'pick.code as pickup_code',
      'pick.name as pickup_name',
      'pick.timezone as pickup_timezone',
      'r.title',
      'i.barcode as item_barcode',
    ])
    .where('h.id', '=', holdId)
    .executeTakeFirst();
  if (!row) return notFound(`Hold ${holdId}`);
  // The shelf expiry is set when the item is shelved: before that there is no date to print.
  if (row.shelf_expires_at === null || row.item_barcode === null) {
    return refuse('INVALID_STATE', `Hold ${holdId} has not been put on a holds shelf, so it has no holds-shelf slip.`);
  }
  return ok({
    holdId: row.id,
    patron: { firstName: row.first_name, lastName: row.last_name, barcode: row.patron_barcode },
    pickupLibrary: { code: row.pickup_code, name: row.pickup_name },
    pickupTimezone: row.pickup_timezone,
    shelfExpiresAt: new Date(row.shelf_expires_at),
    title: row.title,
    itemBarcode: row.item_barcode,
  });
}
