import { ok, type Result } from '../../domain/refusal';
import type { ServiceContext } from '../context';
import type { LibraryRef } from '../library-view';
import { toPatronRef, type PatronRef } from '../patron-view';
import { libraryForStaff, type Paging } from './library-lists';

// A library's open transits: what the van should bring (incoming) and what it took away
// (outgoing), oldest first, so that the desk checks the longest-travelling items first.

export type TransitDirection = 'incoming' | 'outgoing';

export interface TransitEntry {
  id: number;
  kind: 'hold' | 'return';
  direction: TransitDirection;
  item: { barcode: string; status: string; library: LibraryRef; title: string; callNumber: string };
  source: LibraryRef;
  destination: LibraryRef;
  sentAt: string;
  /** The hold it travels for; its status says whether it was cancelled on the way. */
  hold: { id: number; status: string; patron: PatronRef; pickupLibrary: LibraryRef } | null;
  /** Whole days since it was sent. */
  daysInTransit: number;
}

const dayMs = 86_400_000;

export async function transitList(ctx: ServiceContext, code: string, direction: TransitDirection | undefined, paging: Paging): Promise<Result<TransitEntry[]>> {
  const library = await libraryForStaff(ctx, code);
  if (!library.ok) return library;
  const id = library.value.id;
  const rows = await ctx.db
    .selectFrom('transits as t')
    .innerJoin('items as i', 'i.id', 't.item_id')
    .innerJoin('records as r', 'r.id', 'i.record_id')
    .innerJoin('volumes as v', 'v.id', 'i.volume_id')
    .innerJoin('libraries as owner', 'owner.id', 'i.owning_library_id')
    .innerJoin('libraries as src', 'src.id', 't.source_library_id')
    .innerJoin('libraries as dst', 'dst.id', 't.destination_library_id')
    .leftJoin('holds as h', 'h.id', 't.hold_id')
    .leftJoin('patrons as p', 'p.id', 'h.patron_id')
    .leftJoin('libraries as pickup', 'pickup.id', 'h.pickup_library_id')
    .select([
      't.id',
      't.kind',
      't.sent_at',
      't.destination_library_id',
      'i.barcode',
      'i.status',
      'r.title',
      'v.call_number',
      'owner.code as owner_code',
      'owner.name as owner_name',
      'src.code as src_code',
      'src.name as src_name',
      'dst.code as dst_code',
      'dst.name as dst_name',
      'h.id as hold_id',
      'h.status as hold_status',
      'p.barcode as patron_barcode',
      'p.first_name',
      'p.last_name',
      'pickup.code as pickup_code',
      'pickup.name as pickup_name',
    ])
    .where('t.received_at', 'is', null)
    .where('t.cancelled_at', 'is', null)
    .where((eb) => {
      if (direction === 'incoming') return eb('t.destination_library_id', '=', id);
      if (direction === 'outgoing') return eb('t.source_library_id', '=', id);
      return eb.or([eb('t.destination_library_id', '=', id), eb('t.source_library_id', '=', id)]);
    })
    .orderBy('t.sent_at')
    .orderBy('t.id')
    .limit(paging.limit)
    .offset(paging.offset)
    .execute();
  const now = ctx.clock.now().getTime();
  return ok(
    rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      direction: r.destination_library_id === id ? 'incoming' : 'outgoing',
      item: { barcode: r.barcode, status: r.status, library: { code: r.owner_code, name: r.owner_name }, title: r.title, callNumber: r.call_number },
      source: { code: r.src_code, name: r.src_name },
      destination: { code: r.dst_code, name: r.dst_name },
      sentAt: r.sent_at.toISOString(),
      hold:
        r.hold_id === null
          ? null
          : {
              id: r.hold_id,
              status: r.hold_status!,
              patron: toPatronRef({ barcode: r.patron_barcode!, first_name: r.first_name!, last_name: r.last_name! }),
              pickupLibrary: { code: r.pickup_code!, name: r.pickup_name! },
            },
      daysInTransit: Math.max(0, Math.floor((now - r.sent_at.getTime()) / dayMs)),
    })),
  );
}
