import { sql, type Kysely } from 'kysely';

// The scan without a transaction of its own: two statements, each its own transaction, instead
// of BEGIN, a snapshot that locks the item, the writes and COMMIT — the same changes in two round
// trips instead of four.
//
// The snapshot no longer locks the item; it reads each row's version (its xmin) with it. The
// writes lock the item, and the hold the scan captures or shelves, and compare their versions
// with those the decision was made on: when another desk changed either in between (scanned,
// checked out, captured the same hold with another copy, cancelled it, targeted the item for a
// new hold), nothing is written, the answer says so, and the scan is decided again on what is
// there now (services/circulation/scan.ts).
// Before, the hold was not compared at all: two copies scanned at once at two desks could both
// capture one waiting hold. And a hold whose item is sent from a wrong holds shelf back to its
// pickup library no longer keeps the shelf dates of the shelf it left.
export async function up(db: Kysely<unknown>): Promise<void> {
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
  SELECT i.id, i.record_id INTO v_item_id, v_record_id FROM items i WHERE i.barcode = p_barcode;
  IF v_item_id IS NULL THEN
    RETURN json_build_object('facts_version', (SELECT version FROM library_facts_version), 'item', NULL, 'transit', NULL,
      'loan', NULL, 'holds', '[]'::json, 'transits_sent', '[]'::json, 'loans_out', '[]'::json);
  END IF;
  SELECT to_json(x) INTO v_item FROM (
    SELECT i.xmin::text AS version, i.id, i.barcode, i.record_id, i.volume_id, i.owning_library_id, i.current_library_id, i.status,
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
      SELECT h.xmin::text AS version, h.id, h.type, h.status, h.volume_id, h.item_id, h.pickup_library_id, h.requested_at,
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
  await sql`
CREATE OR REPLACE FUNCTION scan_apply(p jsonb) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  v_now timestamptz := (p->>'now')::timestamptz;
  v_here int := (p->>'here')::int;
  v_item int := (p->>'item_id')::int;
  v_staff int := (p->>'staff_id')::int;
  v_hold int := (p->>'hold_id')::int;
  v_capture boolean := coalesce((p->>'capture')::boolean, false);
  v_shelve boolean := coalesce((p->>'shelve')::boolean, false);
  v_answer int := (p->>'answer_hold_id')::int;
  v_new_transit int;
  v_seen text;
BEGIN
  -- the rows the decision rests on, locked and compared with what the snapshot read
  SELECT xmin::text INTO v_seen FROM items WHERE id = v_item FOR UPDATE;
  IF v_seen IS DISTINCT FROM p->>'item_version' THEN
    RETURN json_build_object('stale', true);
  END IF;
  -- targeting locks an available item without changing its row (services/holds/target-hold.ts):
  -- a hold that came to target it meanwhile is seen here, once that targeting has committed
  IF (SELECT h.id FROM holds h WHERE h.target_item_id = v_item AND h.status = 'targeted')
     IS DISTINCT FROM (p->>'targeted_by')::int THEN
    RETURN json_build_object('stale', true);
  END IF;
  IF v_hold IS NOT NULL THEN
    SELECT xmin::text INTO v_seen FROM holds WHERE id = v_hold FOR UPDATE;
    IF v_seen IS DISTINCT FROM p->>'hold_version' THEN
      RETURN json_build_object('stale', true);
    END IF;
  END IF;
  IF p->>'receive_transit_id' IS NOT NULL THEN
    UPDATE transits SET received_at = v_now WHERE id = (p->>'receive_transit_id')::int;
  END IF;
  IF p->>'close_loan_id' IS NOT NULL THEN
    UPDATE loans SET returned_at = v_now, returned_library_id = v_here WHERE id = (p->>'close_loan_id')::int;
  END IF;
  IF v_hold IS NOT NULL THEN
    UPDATE holds SET status = p->>'hold_status',
      captured_item_id = CASE WHEN v_capture THEN v_item ELSE captured_item_id END,
      captured_at = CASE WHEN v_capture THEN v_now ELSE captured_at END,
      -- a hold sent from a shelf back to its pickup library is on no shelf until it arrives there
      shelved_at = CASE WHEN v_shelve THEN v_now WHEN p->>'hold_status' = 'in-transit' THEN NULL ELSE shelved_at END,
      shelf_expires_at = CASE WHEN v_shelve THEN (p->>'shelf_expires_at')::timestamptz
        WHEN p->>'hold_status' = 'in-transit' THEN NULL ELSE shelf_expires_at END
    WHERE id = v_hold;
  END IF;
  IF jsonb_typeof(p->'new_transit') = 'object' THEN
    INSERT INTO transits (item_id, kind, hold_id, source_library_id, destination_library_id, sent_at, sent_by_staff_id)
    VALUES (v_item, p->'new_transit'->>'kind', (p->'new_transit'->>'hold_id')::int, v_here,
      (p->'new_transit'->>'to_library_id')::int, v_now, v_staff)
    RETURNING id INTO v_new_transit;
  END IF;
  UPDATE items SET status = p->>'item_status', current_library_id = (p->>'item_current_library_id')::int, updated_at = v_now
  WHERE id = v_item;
  INSERT INTO events (at, kind, staff_id, actor_patron_id, library_id, item_id, record_id, hold_id, patron_id, transit_id, loan_id, data)
  SELECT v_now, ev.kind, v_staff, (p->>'actor_patron_id')::int, v_here, v_item, (p->>'record_id')::int, ev.hold_id, ev.patron_id,
    CASE WHEN ev.new_transit THEN v_new_transit ELSE ev.transit_id END, ev.loan_id, coalesce(ev.data, '{}')
  FROM jsonb_to_recordset(p->'events')
    AS ev(seq int, kind text, hold_id int, patron_id int, transit_id int, loan_id int, new_transit boolean, data jsonb)
  ORDER BY ev.seq;
  IF jsonb_typeof(p->'notice') = 'object' THEN
    INSERT INTO notices (kind, channel, patron_id, library_id, hold_id, loan_id, to_address, subject, body, created_at, send_after)
    SELECT n.kind, n.channel, n.patron_id, n.library_id, n.hold_id, n.loan_id, n.to_address, n.subject, n.body, n.created_at, n.send_after
    FROM jsonb_populate_record(NULL::notices, p->'notice') n;
  END IF;
  IF jsonb_typeof(p->'message') = 'object' THEN
    INSERT INTO library_messages (from_library_id, to_library_id, kind, hold_id, item_id, patron_id, subject, body, created_at)
    SELECT m.from_library_id, m.to_library_id, m.kind, m.hold_id, m.item_id, m.patron_id, m.subject, m.body, m.created_at
    FROM jsonb_populate_record(NULL::library_messages, p->'message') m;
  END IF;
  RETURN json_build_object('new_transit_id', v_new_transit,
    'hold', CASE WHEN v_answer IS NULL THEN NULL ELSE hold_view_json(v_answer) END);
END
$$`.execute(db);
}
