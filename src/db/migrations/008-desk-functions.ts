import { sql, type Kysely } from 'kysely';

// What every desk request runs, made cheap: the session behind a request's cookie, a hold as
// API.md shows it (services/holds/hold-view.ts reads it), and the scan's writes as one PL/pgSQL
// function. The scan's outcome used to be one statement assembled per outcome from a
// dozen parts; planning it cost more than running it, on every scan. A function's statements
// keep their plans for the life of the connection, and run in the order written, so the new
// transit simply follows the received one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE VIEW hold_views AS
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
FROM holds h
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
LEFT JOIN items ce ON ce.id = e.chosen_item_id`.execute(db);

  await sql`
CREATE FUNCTION hold_view_json(p_hold_id int) RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT to_json(v) FROM hold_views v WHERE v.id = p_hold_id);
END
$$`.execute(db);

  // p: services/circulation/scan-apply.ts builds it. Every change, its events, the hold-ready
  // notice and the library message; the answer is the new transit's id and the view of the hold
  // the desk is shown, as this scan leaves it.
  await sql`
CREATE FUNCTION scan_apply(p jsonb) RETURNS json LANGUAGE plpgsql AS $$
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
BEGIN
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
      shelved_at = CASE WHEN v_shelve THEN v_now ELSE shelved_at END,
      shelf_expires_at = CASE WHEN v_shelve THEN (p->>'shelf_expires_at')::timestamptz ELSE shelf_expires_at END
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

  // Every request with a cookie asks this first; as a function its plan is made once per connection.
  await sql`
CREATE FUNCTION session_of(p_token_hash text)
RETURNS TABLE (last_seen_at timestamptz, staff_id int, username text, role text, library_id int, active boolean,
  library_code text, patron_id int, barcode text, home_library_id int)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  SELECT s.last_seen_at, st.id, st.username, st.role, st.library_id, st.active,
    coalesce(l.code, (SELECT c.code FROM consortium c)), p.id, p.barcode, p.home_library_id
  FROM sessions s
  LEFT JOIN staff st ON st.id = s.staff_id
  LEFT JOIN libraries l ON l.id = st.library_id
  LEFT JOIN patrons p ON p.id = s.patron_id
  WHERE s.token_hash = p_token_hash;
END
$$`.execute(db);
}
