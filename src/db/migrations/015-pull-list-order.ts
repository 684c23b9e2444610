import { sql, type Kysely } from 'kysely';

// The pull list in shelf order, a page at a time, from one index. A targeted hold carries the
// line it puts on its library's pull list: where its item sits (library, shelving location's
// name, call number, barcode). The order then needs no look at the library's other items: before,
// every available item of the library was read and the call numbers of all its targeted ones
// sorted, for each page (benchmark scale 1, the busiest library's 6,069 lines among its 43,475
// available items: 90–215 ms for the first page; now the page's own rows alone).
//
// The database keeps the lines true, whoever writes: a hold's line is set when it is targeted
// or changes target and cleared when it stops being targeted; an item moving, changing shelving
// location, volume or barcode, a volume's call number and a location's name changing rewrite the
// lines that show them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
ALTER TABLE holds
  ADD COLUMN pull_library_id int,
  ADD COLUMN pull_location text,
  ADD COLUMN pull_call_number text,
  ADD COLUMN pull_barcode text;

CREATE FUNCTION hold_pull_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'targeted' THEN
    SELECT i.current_library_id, loc.name, v.call_number, i.barcode
      INTO NEW.pull_library_id, NEW.pull_location, NEW.pull_call_number, NEW.pull_barcode
      FROM items i JOIN volumes v ON v.id = i.volume_id LEFT JOIN shelving_locations loc ON loc.id = i.location_id
      WHERE i.id = NEW.target_item_id;
  ELSE
    NEW.pull_library_id := NULL;
    NEW.pull_location := NULL;
    NEW.pull_call_number := NULL;
    NEW.pull_barcode := NULL;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER holds_pull_line_placed BEFORE INSERT ON holds
  FOR EACH ROW WHEN (NEW.status = 'targeted') EXECUTE FUNCTION hold_pull_line();
-- unless the statement writes the line itself (as the sweep does, for many holds in one join)
CREATE TRIGGER holds_pull_line_changed BEFORE UPDATE OF status, target_item_id ON holds
  FOR EACH ROW WHEN ((NEW.target_item_id IS DISTINCT FROM OLD.target_item_id
      OR (NEW.status IS DISTINCT FROM OLD.status AND (NEW.status = 'targeted' OR OLD.status = 'targeted')))
    AND NEW.pull_barcode IS NOT DISTINCT FROM OLD.pull_barcode)
  EXECUTE FUNCTION hold_pull_line();

-- one item at a time: with a single id the statement's plan is made once per connection and
-- kept, where a list of ids had it planned again at every call (0.5 ms for each scan that moves
-- an item, under the benchmark's desk load)
CREATE FUNCTION refresh_pull_line(p_item int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE holds h
  SET pull_library_id = i.current_library_id, pull_location = loc.name, pull_call_number = v.call_number, pull_barcode = i.barcode
  FROM items i JOIN volumes v ON v.id = i.volume_id LEFT JOIN shelving_locations loc ON loc.id = i.location_id
  WHERE h.target_item_id = p_item AND h.status = 'targeted' AND i.id = p_item;
END $$;

CREATE FUNCTION item_pull_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  CASE TG_TABLE_NAME
    WHEN 'items' THEN PERFORM refresh_pull_line(NEW.id);
    WHEN 'volumes' THEN
      PERFORM refresh_pull_line(h.target_item_id) FROM holds h JOIN items i ON i.id = h.target_item_id
      WHERE h.status = 'targeted' AND i.volume_id = NEW.id;
    WHEN 'shelving_locations' THEN
      PERFORM refresh_pull_line(h.target_item_id) FROM holds h JOIN items i ON i.id = h.target_item_id
      WHERE h.status = 'targeted' AND i.location_id = NEW.id;
  END CASE;
  RETURN NULL;
END $$;

CREATE TRIGGER items_pull_lines AFTER UPDATE OF current_library_id, location_id, volume_id, barcode ON items
  FOR EACH ROW WHEN (NEW.current_library_id IS DISTINCT FROM OLD.current_library_id OR NEW.location_id IS DISTINCT FROM OLD.location_id
    OR NEW.volume_id IS DISTINCT FROM OLD.volume_id OR NEW.barcode IS DISTINCT FROM OLD.barcode)
  EXECUTE FUNCTION item_pull_lines();
CREATE TRIGGER volumes_pull_lines AFTER UPDATE OF call_number ON volumes
  FOR EACH ROW WHEN (NEW.call_number IS DISTINCT FROM OLD.call_number) EXECUTE FUNCTION item_pull_lines();
CREATE TRIGGER shelving_locations_pull_lines AFTER UPDATE OF name ON shelving_locations
  FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION item_pull_lines();

UPDATE holds h
SET pull_library_id = i.current_library_id, pull_location = loc.name, pull_call_number = v.call_number, pull_barcode = i.barcode
FROM items i JOIN volumes v ON v.id = i.volume_id LEFT JOIN shelving_locations loc ON loc.id = i.location_id
WHERE h.status = 'targeted' AND i.id = h.target_item_id;

CREATE INDEX holds_pull_list ON holds (pull_library_id, pull_location, pull_call_number, pull_barcode) WHERE status = 'targeted';
DROP INDEX items_available_at;
`.execute(db);
}
