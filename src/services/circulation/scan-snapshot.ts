import { sql } from 'kysely';
import type { AgeProtection } from '../../domain/age-protection';
import type { HoldStatus } from '../../domain/holds/hold-status';
import type { ItemStatus } from '../../domain/item-status';
import type { ScanHold, ScanItem, ScanSnapshot, ScanTransit } from '../../domain/scan/decide-scan';
import type { Tx } from '../context';
import type { LibraryFacts } from '../holds/library-facts';

// Everything the scan decision needs about one item, loaded with the item row locked so that
// two desks scanning the same item at once take turns.

export interface LoadedScan {
  snapshot: ScanSnapshot;
  recordId: number;
  title: string;
  callNumber: string;
  /** Patron facts of the holds in the snapshot, for the answer. */
  patrons: Map<number, { id: number; barcode: string; name: string; email: string | null; phone: string | null }>;
  holdPatron: Map<number, number>;
  loanPatronId: number | null;
}

export async function loadScanSnapshot(trx: Tx, barcode: string, libraryId: number, libraries: LibraryFacts, now: Date): Promise<LoadedScan | undefined> {
  const item = await trx
    .selectFrom('items')
    .innerJoin('volumes', 'volumes.id', 'items.volume_id')
    .innerJoin('records', 'records.id', 'items.record_id')
    .leftJoin('shelving_locations', 'shelving_locations.id', 'items.location_id')
    .select([
      'items.id',
      'items.barcode',
      'items.record_id',
      'items.volume_id',
      'items.owning_library_id',
      'items.current_library_id',
      'items.status',
      'items.holdable',
      'items.circulates',
      'items.cataloged_at',
      'items.age_protection',
      'volumes.call_number',
      'records.title',
      sql<boolean>`coalesce(shelving_locations.holdable, true)`.as('location_holdable'),
    ])
    .where('items.barcode', '=', barcode)
    .forUpdate('items')
    .executeTakeFirst();
  if (!item) return undefined;
  const [transit, loan, holds] = await Promise.all([
    trx
      .selectFrom('transits')
      .select(['id', 'kind', 'hold_id', 'source_library_id', 'destination_library_id'])
      .where('item_id', '=', item.id)
      .where('received_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst(),
    trx.selectFrom('loans').select(['id', 'patron_id']).where('item_id', '=', item.id).where('returned_at', 'is', null).executeTakeFirst(),
    trx
      .selectFrom('holds')
      .innerJoin('patrons', 'patrons.id', 'holds.patron_id')
      .select([
        'holds.id',
        'holds.type',
        'holds.status',
        'holds.volume_id',
        'holds.item_id',
        'holds.pickup_library_id',
        'holds.requested_at',
        'holds.target_item_id',
        'holds.captured_item_id',
        'holds.notify_by',
        'patrons.id as patron_id',
        'patrons.barcode',
        'patrons.first_name',
        'patrons.last_name',
        'patrons.email',
        'patrons.phone',
        'patrons.home_library_id',
        sql<number[]>`coalesce((SELECT array_agg(library_id) FROM hold_exclusions x WHERE x.hold_id = holds.id AND x.reason = 'refused'), '{}')`.as('refused'),
      ])
      .where((eb) =>
        eb.or([
          eb.and([eb('holds.record_id', '=', item.record_id), eb('holds.status', 'in', ['waiting', 'targeted'])]),
          eb.and([eb('holds.captured_item_id', '=', item.id), eb('holds.status', 'in', ['in-transit', 'on-holds-shelf'])]),
          // the hold an incoming transit carries, whatever became of it
          eb('holds.id', '=', eb.selectFrom('transits').select('hold_id').where('item_id', '=', item.id).where('received_at', 'is', null).where('cancelled_at', 'is', null).limit(1)),
        ]),
      )
      .execute(),
  ]);
  const scanItem: ScanItem = {
    id: item.id,
    barcode: item.barcode,
    owningLibraryId: item.owning_library_id,
    currentLibraryId: item.current_library_id,
    volumeId: item.volume_id,
    status: item.status as ItemStatus,
    holdable: item.holdable,
    locationHoldable: item.location_holdable,
    circulates: item.circulates,
    catalogedAt: item.cataloged_at,
    ageProtection: item.age_protection as AgeProtection,
  };
  const scanHolds: ScanHold[] = holds.map((h) => ({
    id: h.id,
    type: h.type,
    volumeId: h.volume_id,
    itemId: h.item_id,
    pickupLibraryId: h.pickup_library_id,
    patronHomeLibraryId: h.home_library_id,
    status: h.status as HoldStatus,
    requestedAt: h.requested_at.toISOString(),
    targetItemId: h.target_item_id,
    capturedItemId: h.captured_item_id,
    refusedLibraryIds: h.refused,
    notifyBy: h.notify_by,
    patronHasEmail: h.email !== null && h.email !== '',
  }));
  const scanTransit: ScanTransit | null = transit ? { id: transit.id, kind: transit.kind, holdId: transit.hold_id, sourceLibraryId: transit.source_library_id, destinationLibraryId: transit.destination_library_id } : null;
  return {
    snapshot: {
      libraryId,
      item: scanItem,
      transit: scanTransit,
      loanId: loan?.id ?? null,
      holds: scanHolds,
      tree: libraries.tree,
      todayAt: (id) => libraries.todayAt(id, now),
    },
    recordId: item.record_id,
    title: item.title,
    callNumber: item.call_number,
    patrons: new Map(holds.map((h) => [h.patron_id, { id: h.patron_id, barcode: h.barcode, name: `${h.first_name} ${h.last_name}`, email: h.email, phone: h.phone }])),
    holdPatron: new Map(holds.map((h) => [h.id, h.patron_id])),
    loanPatronId: loan?.patron_id ?? null,
  };
}
