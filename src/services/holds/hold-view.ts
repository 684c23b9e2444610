import { sql } from 'kysely';
import type { HoldStatus, HoldType } from '../../domain/holds/hold-status';
import type { Db } from '../context';
import type { LibraryRef } from '../library-view';
import { patronName } from '../patron-view';
import { toExplanation, type Explanation } from './explanation';

// A hold as API.md shows it, with its place in the queue and the latest targeting's explanation.
export interface HoldView {
  id: number;
  type: HoldType;
  status: HoldStatus;
  patron: { barcode: string; name: string };
  record: { id: number; title: string };
  pickupLibrary: LibraryRef;
  requestedAt: string;
  notifyBy: string[];
  volumeId: number | null;
  itemBarcode: string | null;
  target: { barcode: string; library: LibraryRef } | null;
  capturedItem: { barcode: string; library: LibraryRef } | null;
  targetedAt: string | null;
  capturedAt: string | null;
  shelvedAt: string | null;
  shelfExpiresAt: string | null;
  fulfilledAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  suspendedUntil: string | null;
  queuePosition: number | null;
  explanation: Explanation | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Holds by id, in the order given, in four queries whatever their number. */
export async function loadHoldViews(db: Db, ids: readonly number[]): Promise<HoldView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('holds as h')
    .innerJoin('patrons as p', 'p.id', 'h.patron_id')
    .innerJoin('records as r', 'r.id', 'h.record_id')
    .innerJoin('libraries as pickup', 'pickup.id', 'h.pickup_library_id')
    .leftJoin('items as t', 't.id', 'h.target_item_id')
    .leftJoin('libraries as tl', 'tl.id', 't.owning_library_id')
    .leftJoin('items as c', 'c.id', 'h.captured_item_id')
    .leftJoin('libraries as cl', 'cl.id', 'c.owning_library_id')
    .leftJoin('items as ci', 'ci.id', 'h.item_id')
    .selectAll('h')
    .select([
      'p.barcode as patron_barcode',
      'p.first_name',
      'p.last_name',
      'r.title',
      'pickup.code as pickup_code',
      'pickup.name as pickup_name',
      't.barcode as target_barcode',
      'tl.code as target_library_code',
      'tl.name as target_library_name',
      'c.barcode as captured_barcode',
      'cl.code as captured_library_code',
      'cl.name as captured_library_name',
      'ci.barcode as copy_barcode',
      sql<number | null>`CASE WHEN h.status IN ('fulfilled', 'cancelled') THEN NULL ELSE (
        SELECT count(*)::int FROM holds o
        WHERE o.record_id = h.record_id AND o.status NOT IN ('fulfilled', 'cancelled')
          AND (o.requested_at, o.id) <= (h.requested_at, h.id)) END`.as('queue_position'),
    ])
    .where('h.id', 'in', [...ids])
    .execute();
  const explanations = await db
    .selectFrom('hold_targetings')
    .select(['hold_id', 'at', 'trigger', 'policy', 'summary', 'candidates', 'chosen_item_id', 'draw'])
    .distinctOn('hold_id')
    .where('hold_id', 'in', [...ids])
    .orderBy('hold_id')
    .orderBy('id', 'desc')
    .execute();
  const chosenIds = explanations.map((e) => e.chosen_item_id).filter((id): id is number => id !== null);
  const chosenBarcodes = new Map(
    chosenIds.length ? (await db.selectFrom('items').select(['id', 'barcode']).where('id', 'in', chosenIds).execute()).map((i) => [i.id, i.barcode]) : [],
  );
  const byId = new Map(
    rows.map((h) => {
      const latest = explanations.find((e) => e.hold_id === h.id);
      const view: HoldView = {
        id: h.id,
        type: h.type,
        status: h.status as HoldStatus,
        patron: { barcode: h.patron_barcode, name: patronName(h.first_name, h.last_name) },
        record: { id: h.record_id, title: h.title },
        pickupLibrary: { code: h.pickup_code, name: h.pickup_name },
        requestedAt: h.requested_at.toISOString(),
        notifyBy: h.notify_by,
        volumeId: h.volume_id,
        itemBarcode: h.copy_barcode,
        target: h.target_barcode ? { barcode: h.target_barcode, library: { code: h.target_library_code!, name: h.target_library_name! } } : null,
        capturedItem: h.captured_barcode ? { barcode: h.captured_barcode, library: { code: h.captured_library_code!, name: h.captured_library_name! } } : null,
        targetedAt: iso(h.targeted_at),
        capturedAt: iso(h.captured_at),
        shelvedAt: iso(h.shelved_at),
        shelfExpiresAt: iso(h.shelf_expires_at),
        fulfilledAt: iso(h.fulfilled_at),
        cancelledAt: iso(h.cancelled_at),
        cancelReason: h.cancel_reason,
        suspendedUntil: h.suspended_until,
        queuePosition: h.queue_position,
        explanation: toExplanation(latest, latest?.chosen_item_id ? (chosenBarcodes.get(latest.chosen_item_id) ?? null) : null),
      };
      return [h.id, view] as const;
    }),
  );
  return ids.map((id) => byId.get(id)).filter((v): v is HoldView => v !== undefined);
}
