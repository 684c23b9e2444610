import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema';

// The sweep's work as bare set-based SQL, the yardstick the product sweep is measured against.
// Same holds (targets not captured within the deadline, and waiting holds whose title has a copy
// on a shelf), same rules for a candidate (available, holdable, in the hold's scope, lending
// program, age protection, refused libraries, not taken by another open hold), same preference
// (untried libraries, then libraries that let a target time out, then the previous target; the
// pickup library's own copies, then the nearest), holds of one title served oldest first with
// timed-out ones first, as the sweep does. Nearness comes from libraries.parent_id.
//
// A greedy assignment is sequential per title (the second hold may not take the first one's
// copy), so the statement is a recursive CTE that walks every title's queue at once: step k
// serves the k-th hold of each title, carrying the copies taken so far in an array. Steps are as
// many as the longest queue; the work per step is only the titles that still have holds.
//
// It runs as two statements in one transaction: the first turns due targets back to waiting but
// keeps target_item_id as the memory of the previous target, because the partial unique index
// holds_one_target_per_item is checked row by row, so one UPDATE that moves copy X from hold A to
// hold B could fail depending on the order rows are updated. The second chooses and applies.

export const leftOut = [
  'no explanations (hold_targetings) and no events are written',
  'deadline is targeted_at + retarget hours; closed days are not added',
  'ties among equally near copies are broken per copy by random(), not library-then-copy; policy "balanced" is not weighted',
  'freed copies go to the next hold of the title in queue order, not at once to the oldest waiting hold (targetHoldsWaitingForItem)',
  'no row locks or SKIP LOCKED per hold: one transaction for everything',
];

export interface SqlOutcome {
  processed: number;
  timedOut: number;
  targeted: number;
  changed: number;
  waiting: number;
}

export async function targetDueHoldsInSql(db: Kysely<Database>, now: Date, retargetAfterHours: number): Promise<SqlOutcome> {
  const cutoff = new Date(now.getTime() - retargetAfterHours * 3_600_000);
  // the estimate of a recursive CTE is far too high, and JIT-compiling the plan would cost more
  // (3–4 s here) than running it: an OLTP statement runs without JIT
  await sql`SET LOCAL jit = off`.execute(db);
  await sql`UPDATE holds SET status = 'waiting' WHERE status = 'targeted' AND targeted_at <= ${cutoff}::timestamptz`.execute(db);
  const { rows } = await sql<SqlOutcome>`
WITH RECURSIVE
-- library facts as arrays indexed by library id, so a candidate copy costs no join
facts AS MATERIALIZED (
  SELECT array_agg(l.parent_id ORDER BY g) AS parent,
    array_agg(coalesce(l.participates_in_lending, false) ORDER BY g) AS lends,
    array_agg(l.timezone ORDER BY g) AS tz,
    (SELECT coalesce(array_agg(id), '{}') FROM shelving_locations WHERE NOT holdable) AS closed_locations
  FROM generate_series(1, (SELECT max(id) FROM libraries)) g LEFT JOIN libraries l ON l.id = g
),
due AS (
  SELECT h.id, h.record_id, h.target_item_id AS prev_item,
    row_number() OVER (PARTITION BY h.record_id ORDER BY h.target_item_id IS NULL, h.requested_at, h.id) AS k
  FROM holds h
  WHERE h.status = 'waiting'
    AND (h.target_item_id IS NOT NULL
      OR EXISTS (SELECT 1 FROM items i WHERE i.record_id = h.record_id AND i.status = 'available'))
),
queues AS (
  SELECT record_id, array_agg(id ORDER BY k) AS queue, coalesce(array_agg(prev_item) FILTER (WHERE prev_item IS NOT NULL), '{}') AS taken
  FROM due GROUP BY record_id
),
walk (record_id, k, queue, hold_id, prev_item, item_id, taken) AS (
  SELECT record_id, 0, queue, NULL::int, NULL::int, NULL::int, taken FROM queues
  UNION ALL
  SELECT w.record_id, w.k + 1, w.queue, h.id, h.target_item_id, pick.id,
    CASE WHEN pick.id IS NULL THEN array_remove(w.taken, h.target_item_id) ELSE array_append(array_remove(w.taken, h.target_item_id), pick.id) END
  FROM walk w
  CROSS JOIN facts f
  CROSS JOIN LATERAL (
    SELECT h.id, h.type, h.volume_id, h.item_id, h.target_item_id, h.pickup_library_id, pa.home_library_id,
      f.parent[h.pickup_library_id] AS pickup_parent, f.lends[h.pickup_library_id] AS pickup_lends, f.lends[pa.home_library_id] AS home_lends,
      (SELECT owning_library_id FROM items WHERE id = h.target_item_id) AS prev_library,
      coalesce((SELECT array_agg(x.library_id) FILTER (WHERE x.reason = 'refused') FROM hold_exclusions x WHERE x.hold_id = h.id), '{}') AS refused,
      coalesce((SELECT array_agg(x.library_id) FILTER (WHERE x.reason = 'timeout') FROM hold_exclusions x WHERE x.hold_id = h.id), '{}') AS timed_out
    FROM holds h
    JOIN patrons pa ON pa.id = h.patron_id
    WHERE h.id = w.queue[w.k + 1]
    -- LIMIT keeps this a per-row index lookup: flattened into a hash join, the planner rebuilds
    -- a hash of every hold at each step of the recursion
    LIMIT 1
  ) h
  LEFT JOIN LATERAL (
    SELECT i.id
    FROM items i
    WHERE i.record_id = w.record_id
      AND i.status = 'available' AND i.holdable AND i.circulates
      AND (i.location_id IS NULL OR i.location_id <> ALL (f.closed_locations))
      AND (h.type = 'title' OR (h.type = 'volume' AND i.volume_id = h.volume_id) OR (h.type = 'copy' AND i.id = h.item_id))
      AND (f.lends[i.owning_library_id] OR i.owning_library_id = h.pickup_library_id)
      AND (h.home_lends OR i.owning_library_id = h.home_library_id)
      AND (h.pickup_lends OR i.owning_library_id = h.pickup_library_id)
      AND (i.age_protection = 'none' OR i.owning_library_id = h.home_library_id
        OR (i.cataloged_at + make_interval(months => CASE i.age_protection WHEN '1m' THEN 1 WHEN '3m' THEN 3 ELSE 6 END))::date
           <= (${now}::timestamptz AT TIME ZONE f.tz[i.owning_library_id])::date)
      AND i.owning_library_id <> ALL (h.refused)
      AND (i.id = h.target_item_id OR i.id <> ALL (w.taken))
      AND NOT EXISTS (SELECT 1 FROM holds t WHERE t.target_item_id = i.id AND t.status = 'targeted')
      AND NOT EXISTS (SELECT 1 FROM holds c WHERE c.captured_item_id = i.id AND c.status IN ('in-transit', 'on-holds-shelf'))
    ORDER BY
      CASE WHEN i.id = h.target_item_id THEN 2 WHEN i.owning_library_id = h.prev_library OR i.owning_library_id = ANY (h.timed_out) THEN 1 ELSE 0 END,
      -- nearness in the library tree: same library 0; branches of one system 2; else 1 or 2 steps up on each side
      CASE WHEN i.owning_library_id = h.pickup_library_id THEN 0
           WHEN f.parent[i.owning_library_id] = h.pickup_parent THEN 2
           ELSE (CASE WHEN f.parent[i.owning_library_id] IS NULL THEN 1 ELSE 2 END) + (CASE WHEN h.pickup_parent IS NULL THEN 1 ELSE 2 END) END,
      random()
    LIMIT 1
  ) pick ON true
  WHERE w.k < cardinality(w.queue)
),
chosen AS (SELECT hold_id, prev_item, item_id FROM walk WHERE hold_id IS NOT NULL),
timeouts AS (
  INSERT INTO hold_exclusions (hold_id, library_id, reason, at)
  SELECT c.hold_id, i.owning_library_id, 'timeout', ${now}::timestamptz FROM chosen c JOIN items i ON i.id = c.prev_item
  ON CONFLICT (hold_id, library_id, reason) DO UPDATE SET at = EXCLUDED.at
),
applied AS (
  UPDATE holds h
  SET status = CASE WHEN c.item_id IS NULL THEN 'waiting' ELSE 'targeted' END,
      target_item_id = c.item_id,
      targeted_at = CASE WHEN c.item_id IS NULL THEN NULL ELSE ${now}::timestamptz END
  FROM chosen c
  WHERE h.id = c.hold_id AND (c.item_id IS NOT NULL OR c.prev_item IS NOT NULL)
)
SELECT count(*)::int AS processed,
  count(*) FILTER (WHERE prev_item IS NOT NULL)::int AS "timedOut",
  count(*) FILTER (WHERE item_id IS NOT NULL)::int AS targeted,
  count(*) FILTER (WHERE item_id IS DISTINCT FROM prev_item)::int AS changed,
  count(*) FILTER (WHERE item_id IS NULL)::int AS waiting
FROM chosen`.execute(db);
  return rows[0];
}
