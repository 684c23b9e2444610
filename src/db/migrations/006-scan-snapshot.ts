import { sql, type Kysely } from 'kysely';

// The scan's snapshot (services/circulation/scan-snapshot.ts) as a PL/pgSQL function. The query
// joins a dozen small lookups; planning it cost three times executing it, on every scan. A
// function's statements keep their plans for the life of the connection, so the desk's most
// frequent call is planned once per connection instead of once per scan.
//
// Everything the scan decision needs about one item, as one JSON object: the item (its row
// locked, so two desks scanning it at once take turns), its open transit and loan, every open
// hold on its record with the patron's contact details, its recent travels for the bouncing rule,
// and the version of the library facts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
CREATE FUNCTION scan_snapshot(p_barcode text, p_now timestamptz) RETURNS json LANGUAGE plpgsql AS $$
BEGIN
  RETURN (
    WITH item AS (
      SELECT i.id, i.barcode, i.record_id, i.volume_id, i.owning_library_id, i.current_library_id, i.status,
        i.holdable, i.circulates, i.cataloged_at, i.age_protection, v.call_number, r.title,
        coalesce(sl.holdable, true) AS location_holdable
      FROM items i
      JOIN volumes v ON v.id = i.volume_id
      JOIN records r ON r.id = i.record_id
      LEFT JOIN shelving_locations sl ON sl.id = i.location_id
      WHERE i.barcode = p_barcode
      FOR UPDATE OF i
    ), transit AS (
      SELECT t.id, t.kind, t.hold_id, t.source_library_id, t.destination_library_id, t.sent_at
      FROM transits t JOIN item ON t.item_id = item.id
      WHERE t.received_at IS NULL AND t.cancelled_at IS NULL
    ), bounce_window AS (
      SELECT p_now - make_interval(days => coalesce((SELECT bounce_days FROM consortium), 10)) AS since
    )
    SELECT json_build_object(
      'facts_version', (SELECT version FROM library_facts_version),
      'item', (SELECT to_json(item) FROM item),
      'transit', (SELECT to_json(transit) FROM transit),
      'loan', (SELECT json_build_object('id', l.id, 'patron_id', l.patron_id) FROM loans l JOIN item ON l.item_id = item.id
        WHERE l.returned_at IS NULL),
      'holds', (SELECT coalesce(json_agg(h ORDER BY h.requested_at, h.id), '[]') FROM (
        SELECT h.id, h.type, h.status, h.volume_id, h.item_id, h.pickup_library_id, h.requested_at,
          h.target_item_id, h.captured_item_id, h.notify_by, p.id AS patron_id, p.barcode, p.first_name,
          p.last_name, p.email, p.phone, p.home_library_id,
          coalesce((SELECT array_agg(x.library_id) FROM hold_exclusions x WHERE x.hold_id = h.id AND x.reason = 'refused'), '{}') AS refused
        FROM holds h JOIN patrons p ON p.id = h.patron_id, item
        WHERE (h.record_id = item.record_id AND h.status NOT IN ('fulfilled', 'cancelled'))
          OR (h.captured_item_id = item.id AND h.status IN ('in-transit', 'on-holds-shelf'))
          -- the hold an incoming transit carries, whatever became of it
          OR h.id = (SELECT hold_id FROM transit)) h),
      'transits_sent', (SELECT coalesce(json_agg(t.sent_at), '[]') FROM transits t JOIN item ON t.item_id = item.id
        WHERE t.sent_at >= (SELECT since FROM bounce_window)),
      'loans_out', (SELECT coalesce(json_agg(l.checked_out_at), '[]') FROM loans l JOIN item ON l.item_id = item.id
        WHERE l.checked_out_at >= (SELECT since FROM bounce_window))));
END
$$;
`.execute(db);
}
