import { sql, type Kysely } from 'kysely';

// The scan's snapshot (migration 006) found the item's open transit, loans and recent transits by
// joining to the item inside one statement; with the item's id unknown when the plan is made,
// the planner read whole tables (every loan of the consortium for the bouncing rule). Here the
// item is locked and read first, and every other part is an index lookup by its id.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX loans_item_checked_out ON loans (item_id, checked_out_at)`.execute(db);
  await sql`
CREATE OR REPLACE FUNCTION scan_snapshot(p_barcode text, p_now timestamptz) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  v_item_id int;
  v_record_id int;
  v_item json;
  v_transit json;
  v_transit_hold int;
  v_since timestamptz;
BEGIN
  SELECT i.id, i.record_id INTO v_item_id, v_record_id FROM items i WHERE i.barcode = p_barcode FOR UPDATE;
  IF v_item_id IS NULL THEN
    RETURN json_build_object('facts_version', (SELECT version FROM library_facts_version), 'item', NULL, 'transit', NULL,
      'loan', NULL, 'holds', '[]'::json, 'transits_sent', '[]'::json, 'loans_out', '[]'::json);
  END IF;
  SELECT to_json(x) INTO v_item FROM (
    SELECT i.id, i.barcode, i.record_id, i.volume_id, i.owning_library_id, i.current_library_id, i.status,
      i.holdable, i.circulates, i.cataloged_at, i.age_protection, v.call_number, r.title,
      coalesce(sl.holdable, true) AS location_holdable
    FROM items i
    JOIN volumes v ON v.id = i.volume_id
    JOIN records r ON r.id = i.record_id
    LEFT JOIN shelving_locations sl ON sl.id = i.location_id
    WHERE i.id = v_item_id) x;
  -- "still open" is written so that no index of open transits matches it: the plan made once per
  -- connection then reads this item's own few transits (transits_item_sent), never every open
  -- transit of a library, whatever the statistics said when it was made
  SELECT to_json(t), t.hold_id INTO v_transit, v_transit_hold FROM (
    SELECT t.id, t.kind, t.hold_id, t.source_library_id, t.destination_library_id, t.sent_at
    FROM transits t WHERE t.item_id = v_item_id AND coalesce(t.received_at, t.cancelled_at) IS NULL) t;
  v_since := p_now - make_interval(days => coalesce((SELECT bounce_days FROM consortium), 10));
  RETURN json_build_object(
    'facts_version', (SELECT version FROM library_facts_version),
    'item', v_item,
    'transit', v_transit,
    'loan', (SELECT json_build_object('id', l.id, 'patron_id', l.patron_id) FROM loans l
      WHERE l.item_id = v_item_id AND l.returned_at IS NULL),
    'holds', (SELECT coalesce(json_agg(h ORDER BY h.requested_at, h.id), '[]') FROM (
      SELECT h.id, h.type, h.status, h.volume_id, h.item_id, h.pickup_library_id, h.requested_at,
        h.target_item_id, h.captured_item_id, h.notify_by, p.id AS patron_id, p.barcode, p.first_name,
        p.last_name, p.email, p.phone, p.home_library_id,
        coalesce((SELECT array_agg(x.library_id) FROM hold_exclusions x WHERE x.hold_id = h.id AND x.reason = 'refused'), '{}') AS refused
      FROM holds h JOIN patrons p ON p.id = h.patron_id
      WHERE h.id IN (
        SELECT o.id FROM holds o WHERE o.record_id = v_record_id AND o.status NOT IN ('fulfilled', 'cancelled')
        UNION ALL SELECT c.id FROM holds c WHERE c.captured_item_id = v_item_id AND c.status IN ('in-transit', 'on-holds-shelf')
        -- the hold an incoming transit carries, whatever became of it
        UNION ALL SELECT v_transit_hold WHERE v_transit_hold IS NOT NULL)) h),
    'transits_sent', (SELECT coalesce(json_agg(t.sent_at), '[]') FROM transits t WHERE t.item_id = v_item_id AND t.sent_at >= v_since),
    'loans_out', (SELECT coalesce(json_agg(l.checked_out_at), '[]') FROM loans l WHERE l.item_id = v_item_id AND l.checked_out_at >= v_since));
END
$$;
`.execute(db);
}
