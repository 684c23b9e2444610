import type { HoldStatus } from '../../src/domain/holds/hold-status';

// What the reference model compares after each step: the consortium's items and holds as the
// database has them, read in the same statement as the invariants (model-snapshot-query.ts).

export interface ItemRow {
  barcode: string;
  owner: string;
  status: string;
  /** The library it is at (for an item in transit: the one it left). */
  at: string;
  circulations: number;
  loanPatron: string | null;
  loanLibrary: string | null;
  due: string | null;
  transitTo: string | null;
}

export interface HoldRow {
  id: number;
  status: HoldStatus;
  patron: string;
  pickup: string;
  target: string | null;
  captured: string | null;
  shelvedAt: string | null;
  shelfExpiresAt: string | null;
  cancelReason: string | null;
  suspendedUntil: string | null;
}

export interface Snapshot {
  items: ItemRow[];
  holds: HoldRow[];
}

export const emptySnapshot: Snapshot = { items: [], holds: [] };

/** The snapshot as one jsonb value, so that it travels with the invariants in one round trip. */
export const snapshotQuery = `
  SELECT jsonb_build_object(
    'items', (SELECT coalesce(jsonb_agg(jsonb_build_object(
        'barcode', i.barcode, 'owner', o.code, 'status', i.status, 'at', c.code, 'circulations', i.circulation_count,
        'loanPatron', lp.barcode, 'loanLibrary', ll.code, 'due', to_char(l.due_date, 'YYYY-MM-DD'), 'transitTo', td.code) ORDER BY i.id), '[]'::jsonb)
      FROM items i
      JOIN libraries o ON o.id = i.owning_library_id
      JOIN libraries c ON c.id = i.current_library_id
      LEFT JOIN loans l ON l.item_id = i.id AND l.returned_at IS NULL
      LEFT JOIN patrons lp ON lp.id = l.patron_id
      LEFT JOIN libraries ll ON ll.id = l.library_id
      LEFT JOIN transits t ON t.item_id = i.id AND t.received_at IS NULL AND t.cancelled_at IS NULL
      LEFT JOIN libraries td ON td.id = t.destination_library_id),
    'holds', (SELECT coalesce(jsonb_agg(jsonb_build_object(
        'id', h.id, 'status', h.status, 'patron', p.barcode, 'pickup', pl.code, 'target', ti.barcode, 'captured', ci.barcode,
        'shelvedAt', h.shelved_at, 'shelfExpiresAt', h.shelf_expires_at, 'cancelReason', h.cancel_reason,
        'suspendedUntil', to_char(h.suspended_until, 'YYYY-MM-DD')) ORDER BY h.id), '[]'::jsonb)
      FROM holds h
      JOIN patrons p ON p.id = h.patron_id
      JOIN libraries pl ON pl.id = h.pickup_library_id
      LEFT JOIN items ti ON ti.id = h.target_item_id
      LEFT JOIN items ci ON ci.id = h.captured_item_id))`;
