import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';

// The consortium's circulation invariants, as queries answering the rows that break them: the
// model test checks them after every step, the load and crash tests after the load.

const openTransit = `t.received_at IS NULL AND t.cancelled_at IS NULL`;
/** An event of `kind` about the row `column` = `id` exists. */
const eventOf = (kind: string, column: string, id: string) => `EXISTS (SELECT 1 FROM events e WHERE e.kind = '${kind}' AND e.${column} = ${id})`;

/** Where each item is, and that its status agrees with its loan, transit and hold. */
const placeInvariants: Record<string, string> = {
  'checked-out ⇔ exactly one open loan': `
    SELECT i.barcode FROM items i
    WHERE (i.status = 'checked-out') <> EXISTS (SELECT 1 FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL)
       OR (SELECT count(*) FROM loans l WHERE l.item_id = i.id AND l.returned_at IS NULL) > 1`,
  'in-transit ⇔ exactly one open transit': `
    SELECT i.barcode FROM items i
    WHERE (i.status = 'in-transit') <> EXISTS (SELECT 1 FROM transits t WHERE t.item_id = i.id AND ${openTransit})
       OR (SELECT count(*) FROM transits t WHERE t.item_id = i.id AND ${openTransit}) > 1`,
  'every open transit has a destination other than its source': `
    SELECT t.id FROM transits t
    WHERE ${openTransit} AND (t.destination_library_id IS NULL OR t.destination_library_id = t.source_library_id)`,
  "an open hold transit goes to its open hold's pickup library": `
    SELECT t.id FROM transits t JOIN holds h ON h.id = t.hold_id
    WHERE ${openTransit} AND h.status = 'in-transit' AND (t.destination_library_id <> h.pickup_library_id OR h.captured_item_id <> t.item_id)`,
  'a hold in transit travels with its item': `
    SELECT h.id FROM holds h JOIN items i ON i.id = h.captured_item_id
    WHERE h.status = 'in-transit'
      AND (i.status <> 'in-transit' OR NOT EXISTS (SELECT 1 FROM transits t WHERE t.hold_id = h.id AND t.item_id = i.id AND ${openTransit}))`,
  'a hold on the shelf has its item on that shelf': `
    SELECT h.id FROM holds h JOIN items i ON i.id = h.captured_item_id
    WHERE h.status = 'on-holds-shelf' AND (i.status <> 'on-holds-shelf' OR i.current_library_id <> h.pickup_library_id)`,
  'a captured hold names its item, an uncaptured one none': `
    SELECT h.id FROM holds h
    WHERE (h.status IN ('in-transit', 'on-holds-shelf')) <> (h.captured_item_id IS NOT NULL) AND h.status NOT IN ('fulfilled', 'cancelled')`,
  'a targeted hold targets an available item, and only a targeted hold does': `
    SELECT h.id FROM holds h LEFT JOIN items i ON i.id = h.target_item_id
    WHERE (h.status = 'targeted' AND (i.id IS NULL OR i.status <> 'available'))
       OR (h.status IN ('waiting', 'suspended') AND h.target_item_id IS NOT NULL)`,
  'no item is captured by two open holds': `
    SELECT captured_item_id FROM holds WHERE status IN ('in-transit', 'on-holds-shelf') GROUP BY captured_item_id HAVING count(*) > 1`,
  'no item is targeted by two open holds': `
    SELECT target_item_id FROM holds WHERE status = 'targeted' GROUP BY target_item_id HAVING count(*) > 1`,
  'no hold is filled twice': `
    SELECT hold_id FROM loans WHERE hold_id IS NOT NULL GROUP BY hold_id HAVING count(*) > 1`,
  'a fulfilled hold has its loan': `
    SELECT h.id FROM holds h WHERE h.status = 'fulfilled' AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.hold_id = h.id)`,
  'circulations = checkouts + renewals': `
    SELECT i.barcode FROM items i
    WHERE i.circulation_count <> (SELECT count(*) + coalesce(sum(l.renewals), 0) FROM loans l WHERE l.item_id = i.id)`,
  'an available item is at its own library': `
    SELECT i.barcode FROM items i WHERE i.status = 'available' AND i.current_library_id <> i.owning_library_id`,
};

/** DESIGN §2: every state change writes its event row in the same transaction. */
const eventInvariants: Record<string, string> = {
  'every loan has its checkout event': `
    SELECT l.id FROM loans l WHERE NOT ${eventOf('item-checked-out', 'loan_id', 'l.id')}`,
  'every return has its event': `
    SELECT l.id FROM loans l WHERE l.returned_at IS NOT NULL AND NOT ${eventOf('item-returned', 'loan_id', 'l.id')}`,
  'every renewal has its event': `
    SELECT l.id FROM loans l
    LEFT JOIN (SELECT loan_id, count(*) AS n FROM events WHERE kind = 'loan-renewed' AND loan_id IS NOT NULL GROUP BY loan_id) r ON r.loan_id = l.id
    WHERE l.renewals <> coalesce(r.n, 0)`,
  'every transit has its sent event': `
    SELECT t.id FROM transits t WHERE NOT ${eventOf('transit-sent', 'transit_id', 't.id')}`,
  'every received transit has its event': `
    SELECT t.id FROM transits t WHERE t.received_at IS NOT NULL AND NOT ${eventOf('transit-received', 'transit_id', 't.id')}`,
  'every cancelled transit has its event': `
    SELECT t.id FROM transits t WHERE t.cancelled_at IS NOT NULL AND NOT ${eventOf('transit-cancelled', 'transit_id', 't.id')}`,
  'every hold has its placed event': `
    SELECT h.id FROM holds h WHERE NOT ${eventOf('hold-placed', 'hold_id', 'h.id')}`,
  // one pass over the events, grouped by hold, instead of a lookup per hold and status
  'every hold status has its event': `
    SELECT h.id, h.status FROM holds h
    LEFT JOIN (
      SELECT hold_id, array_agg(DISTINCT kind) AS kinds, array_agg(item_id) FILTER (WHERE kind = 'hold-targeted') AS targets
      FROM events WHERE hold_id IS NOT NULL GROUP BY hold_id) e ON e.hold_id = h.id
    WHERE NOT coalesce(CASE h.status
      WHEN 'targeted' THEN h.target_item_id = ANY (e.targets)
      WHEN 'in-transit' THEN 'hold-captured' = ANY (e.kinds)
      WHEN 'on-holds-shelf' THEN 'hold-shelved' = ANY (e.kinds)
      WHEN 'fulfilled' THEN 'hold-fulfilled' = ANY (e.kinds)
      WHEN 'cancelled' THEN 'hold-cancelled' = ANY (e.kinds)
      WHEN 'suspended' THEN 'hold-suspended' = ANY (e.kinds)
      ELSE true END, false)`,
  'every missing or transit-cancelled item has its event': `
    SELECT i.barcode, i.status FROM items i
    WHERE (i.status = 'missing' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.item_id = i.id AND e.kind IN ('item-missing', 'item-updated')))
       OR (i.status = 'transit-cancelled' AND NOT ${eventOf('transit-cancelled', 'item_id', 'i.id')})`,
};

/** Every invariant as a query answering the rows that break it; all must come back empty. */
export const invariants: Record<string, string> = { ...placeInvariants, ...eventInvariants };

/**
 * All invariants as ONE statement answering `(invariant, row)` pairs, none when all hold: the
 * model test runs it after each of 100,000 steps, where round trips are the cost.
 */
export const brokenInvariantsQuery: string = Object.entries(invariants)
  .map(([name, query]) => `SELECT '${name.replaceAll("'", "''")}' AS invariant, to_jsonb(x) AS row FROM (${query}) x`)
  .join('\nUNION ALL\n');

/** The broken pairs of brokenInvariantsQuery grouped by invariant: `{}` when all hold. */
export function groupBroken(rows: readonly { invariant: string; row: unknown }[]): Record<string, unknown[]> {
  const found: Record<string, unknown[]> = {};
  for (const { invariant, row } of rows) (found[invariant] ??= []).push(row);
  return found;
}

/** The invariants that do not hold, each with the rows that break it: `{}` when all hold. */
export async function brokenInvariants(db: Kysely<Database>): Promise<Record<string, unknown[]>> {
  const { rows } = await sql.raw<{ invariant: string; row: unknown }>(brokenInvariantsQuery).execute(db);
  return groupBroken(rows);
}
