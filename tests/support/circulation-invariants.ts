import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';

// The consortium's circulation invariants, as queries answering the rows that break them: the
// model test checks them after every step, the load and crash tests after the load.

/** Every invariant as a query answering the rows that break it; all must come back empty. */
export const invariants: Record<string, string> = {
  'checked-out ⇔ exactly one open loan': `
    SELECT i.barcode FROM items i
    WHERE (i.status = 'checked-out') <> EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL)`,
  'in-transit ⇔ exactly one open transit': `
    SELECT i.barcode FROM items i
    WHERE (i.status = 'in-transit') <> EXISTS (SELECT 1 FROM transits t WHERE t.item_id = i.id AND t.received_at IS NULL AND t.cancelled_at IS NULL)`,
  'an open hold transit goes to its open hold\'s pickup library, from elsewhere': `
    SELECT t.id FROM transits t JOIN holds h ON h.id = t.hold_id
    WHERE t.received_at IS NULL AND t.cancelled_at IS NULL AND h.status = 'in-transit'
      AND (t.destination_library_id <> h.pickup_library_id OR h.captured_item_id <> t.item_id OR t.source_library_id = t.destination_library_id)`,
  'a hold in transit has its item in transit': `
    SELECT h.id FROM holds h JOIN items i ON i.id = h.captured_item_id WHERE h.status = 'in-transit' AND i.status <> 'in-transit'`,
  'a hold on the shelf has its item on that shelf': `
    SELECT h.id FROM holds h JOIN items i ON i.id = h.captured_item_id
    WHERE h.status = 'on-holds-shelf' AND (i.status <> 'on-holds-shelf' OR i.current_library_id <> h.pickup_library_id)`,
  'a targeted hold targets an available item': `
    SELECT h.id FROM holds h JOIN items i ON i.id = h.target_item_id WHERE h.status = 'targeted' AND i.status <> 'available'`,
  'no hold is filled twice': `
    SELECT hold_id FROM loans WHERE hold_id IS NOT NULL GROUP BY hold_id HAVING count(*) > 1`,
  'a fulfilled hold has its loan': `
    SELECT h.id FROM holds h WHERE h.status = 'fulfilled' AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.hold_id = h.id)`,
  'circulations = checkouts + renewals': `
    SELECT i.barcode FROM items i
    WHERE i.circulation_count <> (SELECT count(*) + coalesce(sum(l.renewals), 0) FROM loans l WHERE l.item_id = i.id)`,
  'an item is at one library': `
    SELECT i.barcode FROM items i WHERE i.status = 'available' AND i.current_library_id <> i.owning_library_id`,
};

/** The invariants that do not hold, each with the rows that break it: `{}` when all hold. */
export async function brokenInvariants(db: Kysely<Database>): Promise<Record<string, unknown[]>> {
  const found: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(invariants)) {
    const { rows } = await sql.raw(query).execute(db);
    if (rows.length > 0) found[name] = rows;
  }
  return found;
}
