import { sql, type RawBuilder } from 'kysely';
import type { AgeProtection } from '../../domain/age-protection';
import type { ItemTravels } from '../../domain/circulation/bouncing';
import type { HoldStatus, HoldType } from '../../domain/holds/hold-status';
import type { ItemStatus } from '../../domain/item-status';
import type { ScanHold, ScanItem, ScanTransit } from '../../domain/scan/decide-scan';
import type { Db } from '../context';
import { toItemForHold } from '../holds/target-hold';
import { patronName } from '../patron-view';

// Everything the scan decision needs about one item, in one statement: the item, its open transit
// and loan, every open hold on its record with the patron's contact details, its recent travels
// for the bouncing rule, and the version of the library facts. The item's and the holds' row
// versions come with them, so that the writes can tell whether the decision still stands
// (migration 011). The scan is the most frequent call in a library: one round trip.

export interface ScanPatron {
  id: number;
  barcode: string;
  name: string;
  email: string | null;
  phone: string | null;
}

export interface LoadedItem {
  factsVersion: string;
  item: ScanItem;
  /** The item row's version (xmin) as read. */
  itemVersion: string;
  recordId: number;
  title: string;
  callNumber: string;
  transit: ScanTransit | null;
  loan: { id: number; patronId: number } | null;
  holds: ScanHold[];
  /** The patron of each hold in `holds`, by hold id. */
  patronOfHold: Map<number, ScanPatron>;
  /** The row version (xmin) of each hold in `holds`, by hold id. */
  versionOfHold: Map<number, string>;
  travels: ItemTravels;
}

export interface SnapshotRow {
  facts_version: string | number;
  item: {
    version: string;
    id: number;
    barcode: string;
    record_id: number;
    volume_id: number;
    owning_library_id: number;
    current_library_id: number;
    status: ItemStatus;
    holdable: boolean;
    circulates: boolean;
    cataloged_at: string;
    age_protection: AgeProtection;
    call_number: string;
    title: string;
    location_holdable: boolean;
  } | null;
  transit: { id: number; kind: 'hold' | 'return'; hold_id: number | null; source_library_id: number; destination_library_id: number; sent_at: string } | null;
  loan: { id: number; patron_id: number } | null;
  holds: {
    version: string;
    id: number;
    type: HoldType;
    status: HoldStatus;
    volume_id: number | null;
    item_id: number | null;
    pickup_library_id: number;
    requested_at: string;
    target_item_id: number | null;
    captured_item_id: number | null;
    notify_by: string[];
    patron_id: number;
    barcode: string;
    first_name: string;
    last_name: string;
    email: string | null;
    phone: string | null;
    home_library_id: number;
    refused: number[];
  }[];
  transits_sent: string[];
  loans_out: string[];
}

/** The one statement: a function (migrations 006, 007, 011) so that its plan is made once per connection. */
export function scanSnapshotQuery(barcode: string, now: Date): RawBuilder<{ snapshot: SnapshotRow }> {
  return sql<{ snapshot: SnapshotRow }>`SELECT scan_snapshot(${barcode}, ${now}::timestamptz) AS snapshot`;
}

export async function loadScanItem(db: Db, barcode: string, now: Date): Promise<{ factsVersion: string; loaded: LoadedItem | null }> {
  const { rows } = await scanSnapshotQuery(barcode, now).execute(db);
  const row = rows[0]!.snapshot;
  const factsVersion = String(row.facts_version);
  if (!row.item) return { factsVersion, loaded: null };
  const i = row.item;
  const item: ScanItem = { ...toItemForHold(i), status: i.status, currentLibraryId: i.current_library_id };
  const holds: ScanHold[] = row.holds.map((h) => ({
    id: h.id,
    type: h.type,
    volumeId: h.volume_id,
    itemId: h.item_id,
    pickupLibraryId: h.pickup_library_id,
    patronHomeLibraryId: h.home_library_id,
    status: h.status,
    requestedAt: new Date(h.requested_at).toISOString(),
    targetItemId: h.target_item_id,
    capturedItemId: h.captured_item_id,
    refusedLibraryIds: h.refused,
    notifyBy: h.notify_by,
    patronHasEmail: h.email !== null && h.email !== '',
  }));
  const t = row.transit;
  return {
    factsVersion,
    loaded: {
      factsVersion,
      item,
      itemVersion: i.version,
      recordId: i.record_id,
      title: i.title,
      callNumber: i.call_number,
      transit: t ? { id: t.id, kind: t.kind, holdId: t.hold_id, sourceLibraryId: t.source_library_id, destinationLibraryId: t.destination_library_id } : null,
      loan: row.loan ? { id: row.loan.id, patronId: row.loan.patron_id } : null,
      holds,
      versionOfHold: new Map(row.holds.map((h) => [h.id, h.version])),
      patronOfHold: new Map(row.holds.map((h) => [h.id, { id: h.patron_id, barcode: h.barcode, name: patronName(h.first_name, h.last_name), email: h.email, phone: h.phone }])),
      travels: {
        transitsSentAt: row.transits_sent.map((at) => new Date(at)),
        loansCheckedOutAt: row.loans_out.map((at) => new Date(at)),
        openTransitSentAt: t ? new Date(t.sent_at) : null,
      },
    },
  };
}
