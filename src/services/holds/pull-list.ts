import { requireOwnLibrary, requireStaff } from '../../domain/actor';
import { notFound, ok, type Result } from '../../domain/refusal';
import type { ServiceContext } from '../context';
import { toCsv } from '../csv';
import { findLibraryByCode, type LibraryRef } from '../library-view';
import { patronName } from '../patron-view';

// A library's pull list: its own items targeted by open holds, in shelf order (shelving location,
// then call number) so that one walk through the building fetches them all.
export interface PullListEntry {
  hold: { id: number; type: string; requestedAt: string };
  item: { barcode: string; callNumber: string; location: string | null; title: string; author: string | null };
  patron: { barcode: string; name: string };
  pickupLibrary: LibraryRef;
  requestedAt: string;
  targetedAt: string | null;
}

export async function pullList(ctx: ServiceContext, code: string): Promise<Result<PullListEntry[]>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const library = await findLibraryByCode(ctx.db, code);
  if (!library) return notFound(`Library ${code}`);
  const own = requireOwnLibrary(staff.value, library.id, library.code);
  if (!own.ok) return own;
  const rows = await ctx.db
    .selectFrom('holds as h')
    .innerJoin('items as i', 'i.id', 'h.target_item_id')
    .innerJoin('volumes as v', 'v.id', 'i.volume_id')
    .innerJoin('records as r', 'r.id', 'i.record_id')
    .innerJoin('patrons as p', 'p.id', 'h.patron_id')
    .innerJoin('libraries as pickup', 'pickup.id', 'h.pickup_library_id')
    .leftJoin('shelving_locations as loc', 'loc.id', 'i.location_id')
    .select([
      'h.id',
      'h.type',
      'h.requested_at',
      'h.targeted_at',
      'i.barcode',
      'v.call_number',
      'loc.name as location',
      'r.title',
      'r.author',
      'p.barcode as patron_barcode',
      'p.first_name',
      'p.last_name',
      'pickup.code as pickup_code',
      'pickup.name as pickup_name',
    ])
    .where('h.status', '=', 'targeted')
    .where('i.current_library_id', '=', library.id)
    .orderBy('loc.name')
    .orderBy('v.call_number')
    .orderBy('i.barcode')
    .execute();
  return ok(
    rows.map((r) => ({
      hold: { id: r.id, type: r.type, requestedAt: r.requested_at.toISOString() },
      item: { barcode: r.barcode, callNumber: r.call_number, location: r.location, title: r.title, author: r.author },
      patron: { barcode: r.patron_barcode, name: patronName(r.first_name, r.last_name) },
      pickupLibrary: { code: r.pickup_code, name: r.pickup_name },
      requestedAt: r.requested_at.toISOString(),
      targetedAt: r.targeted_at?.toISOString() ?? null,
    })),
  );
}

const csvColumns = ['Location', 'Call number', 'Title', 'Barcode', 'Patron', 'Patron barcode', 'Pickup library', 'Requested', 'Hold'];

export function pullListCsv(entries: PullListEntry[]): string {
  return toCsv(
    csvColumns,
    entries.map((e) => [e.item.location ?? '', e.item.callNumber, e.item.title, e.item.barcode, e.patron.name, e.patron.barcode, e.pickupLibrary.code, e.requestedAt.slice(0, 10), String(e.hold.id)]),
  );
}
