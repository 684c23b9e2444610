import { sql } from 'kysely';
import type { HoldStatus, HoldType } from '../../domain/holds/hold-status';
import type { Db } from '../context';
import type { LibraryRef } from '../library-view';
import { patronName } from '../patron-view';
import { toExplanation, type Explanation } from './explanation';

// A hold as API.md shows it, with its place in the queue and the latest targeting's explanation:
// the database view hold_views (migration 008) holds the query, here are its rows' shapes.
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

/** A row of hold_views as to_json writes it: times as ISO strings, the rest as in the row. */
export type HoldViewJson = Omit<HoldViewRow, HoldViewTime> & Record<HoldViewTime, string | null>;
type HoldViewTime = 'requested_at' | 'targeted_at' | 'captured_at' | 'shelved_at' | 'shelf_expires_at' | 'fulfilled_at' | 'cancelled_at' | 'e_at';

const at = (value: string | null): Date | null => (value === null ? null : new Date(value));

export function holdViewRowOfJson(h: HoldViewJson): HoldViewRow {
  return {
    ...h,
    requested_at: new Date(h.requested_at!),
    targeted_at: at(h.targeted_at),
    captured_at: at(h.captured_at),
    shelved_at: at(h.shelved_at),
    shelf_expires_at: at(h.shelf_expires_at),
    fulfilled_at: at(h.fulfilled_at),
    cancelled_at: at(h.cancelled_at),
    e_at: at(h.e_at),
  };
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
  const { rows } = await sql<HoldViewRow>`SELECT * FROM hold_views WHERE id = ANY(${[...ids]}::int[])`.execute(db);
  const byId = new Map(rows.map((h) => [h.id, toHoldView(h)]));
  return ids.map((id) => byId.get(id)).filter((v): v is HoldView => v !== undefined);
}
