import { sql, type RawBuilder } from 'kysely';
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

export interface HoldViewRow {
  id: number;
  type: HoldType;
  status: string;
  record_id: number;
  volume_id: number | null;
  notify_by: string[];
  requested_at: Date;
  targeted_at: Date | null;
  captured_at: Date | null;
  shelved_at: Date | null;
  shelf_expires_at: Date | null;
  fulfilled_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  suspended_until: string | null;
  patron_barcode: string;
  first_name: string;
  last_name: string;
  title: string;
  pickup_code: string;
  pickup_name: string;
  target_barcode: string | null;
  target_library_code: string | null;
  target_library_name: string | null;
  captured_barcode: string | null;
  captured_library_code: string | null;
  captured_library_name: string | null;
  copy_barcode: string | null;
  queue_position: number | null;
  e_at: Date | null;
  e_trigger: string | null;
  e_policy: string | null;
  e_summary: string | null;
  e_candidates: unknown[] | null;
  e_chosen_item_id: number | null;
  e_draw: number | null;
  chosen_barcode: string | null;
}

/**
 * The view columns of the holds in `source` (rows shaped like the holds table): one statement,
 * so that a caller may put it at the end of the statement that changes those holds.
 */
export function holdViewQuery(source: RawBuilder<unknown>): RawBuilder<HoldViewRow> {
  return sql<HoldViewRow>`
    SELECT h.id, h.type, h.status, h.record_id, h.volume_id, h.notify_by, h.requested_at, h.targeted_at,
      h.captured_at, h.shelved_at, h.shelf_expires_at, h.fulfilled_at, h.cancelled_at, h.cancel_reason,
      h.suspended_until, p.barcode AS patron_barcode, p.first_name, p.last_name, r.title,
      pickup.code AS pickup_code, pickup.name AS pickup_name,
      t.barcode AS target_barcode, tl.code AS target_library_code, tl.name AS target_library_name,
      c.barcode AS captured_barcode, cl.code AS captured_library_code, cl.name AS captured_library_name,
      ci.barcode AS copy_barcode,
      CASE WHEN h.status IN ('fulfilled', 'cancelled') THEN NULL ELSE (
        SELECT count(*)::int FROM holds o
        WHERE o.record_id = h.record_id AND o.status NOT IN ('fulfilled', 'cancelled')
          AND (o.requested_at, o.id) <= (h.requested_at, h.id)) END AS queue_position,
      e.at AS e_at, e.trigger AS e_trigger, e.policy AS e_policy, e.summary AS e_summary,
      e.candidates AS e_candidates, e.chosen_item_id AS e_chosen_item_id, e.draw AS e_draw,
      ce.barcode AS chosen_barcode
    FROM (${source}) h
    JOIN patrons p ON p.id = h.patron_id
    JOIN records r ON r.id = h.record_id
    JOIN libraries pickup ON pickup.id = h.pickup_library_id
    LEFT JOIN items t ON t.id = h.target_item_id
    LEFT JOIN libraries tl ON tl.id = t.owning_library_id
    LEFT JOIN items c ON c.id = h.captured_item_id
    LEFT JOIN libraries cl ON cl.id = c.owning_library_id
    LEFT JOIN items ci ON ci.id = h.item_id
    LEFT JOIN LATERAL (
      SELECT x.at, x.trigger, x.policy, x.summary, x.candidates, x.chosen_item_id, x.draw
      FROM hold_targetings x WHERE x.hold_id = h.id ORDER BY x.id DESC LIMIT 1) e ON true
    LEFT JOIN items ce ON ce.id = e.chosen_item_id`;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toHoldView(h: HoldViewRow): HoldView {
  const latest =
    h.e_at === null
      ? undefined
      : { at: h.e_at, trigger: h.e_trigger!, policy: h.e_policy!, summary: h.e_summary!, candidates: h.e_candidates ?? [], chosen_item_id: h.e_chosen_item_id, draw: h.e_draw };
  return {
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
    explanation: toExplanation(latest, h.chosen_barcode),
  };
}

/** Holds by id, in the order given, in one statement whatever their number. */
export async function loadHoldViews(db: Db, ids: readonly number[]): Promise<HoldView[]> {
  if (ids.length === 0) return [];
  const { rows } = await holdViewQuery(sql`SELECT * FROM holds WHERE id = ANY(${[...ids]}::int[])`).execute(db);
  const byId = new Map(rows.map((h) => [h.id, toHoldView(h)]));
  return ids.map((id) => byId.get(id)).filter((v): v is HoldView => v !== undefined);
}
