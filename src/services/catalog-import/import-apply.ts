import { sql } from 'kysely';
import type { ImportError, ImportPlan, PlannedItem } from '../../domain/catalog/import-plan';
import { actorEventFields, type Db, type ServiceContext, type Tx } from '../context';
import { targetHoldsWaitingForItem } from '../holds/item-availability';
import { startTargetingRun } from '../holds/targeting-run';
import { localDate } from '../local-date';
import type { ParsedMarcRecord } from '../marc/read-marc';
import { recordColumns } from './import-candidates';

// Writes an import plan in a handful of set-based statements, whatever the batch size: each
// table gets one statement fed with one JSON parameter (no parameter-count limit, one round
// trip), and the event rows of the whole batch go in one more.

export interface ApplyContext extends Pick<ServiceContext, 'clock' | 'actor' | 'random'> {
  /** Time zone of each library by id: an item with no date of its own is cataloged "today" there. */
  timezones: ReadonlyMap<number, string>;
  /** The library written on record events (the importing staff member's). */
  libraryId: number | null;
  /** What the events say the records came from ("import of jazz.mrc", "demo"). */
  source: string;
}

export interface Applied {
  /** Record id of each position created, updated or unchanged. */
  recordIds: Map<number, number>;
  items: number;
  errors: ImportError[];
}

const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;

async function insertRecords(trx: Tx, positions: number[], records: ReadonlyMap<number, ParsedMarcRecord>, now: Date): Promise<Map<number, number>> {
  if (positions.length === 0) return new Map();
  const { rows: ids } = await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('records', 'id'))::int AS id FROM generate_series(1, ${positions.length})`.execute(trx);
  const rows = positions.map((p, i) => ({ id: ids[i].id, ...recordColumns(records.get(p)!) }));
  await sql`
    INSERT INTO records (id, title, author, isbn, publisher, year, publication, subjects, format, marc, control_number,
      control_source, alt_titles, alt_authors, notes, issn, system_numbers, created_at, updated_at)
    SELECT id, title, author, isbn, publisher, year, publication, subjects, format, marc, control_number,
      control_source, alt_titles, alt_authors, notes, issn, system_numbers, ${now}, ${now}
    FROM jsonb_to_recordset(${json(rows)}) AS v(id int, title text, author text, isbn text[], publisher text, year int,
      publication text, subjects text[], format text, marc text, control_number text, control_source text,
      alt_titles text[], alt_authors text[], notes text, issn text[], system_numbers text[])`.execute(trx);
  return new Map(positions.map((p, i) => [p, ids[i].id]));
}

async function updateRecords(trx: Tx, updated: ImportPlan['updated'], records: ReadonlyMap<number, ParsedMarcRecord>, now: Date): Promise<void> {
  if (updated.length === 0) return;
  const rows = updated.map(({ position, id }) => ({ id, ...recordColumns(records.get(position)!) }));
  await sql`
    UPDATE records SET title = v.title, author = v.author, isbn = v.isbn, publisher = v.publisher, year = v.year,
      publication = v.publication, subjects = v.subjects, format = v.format, marc = v.marc,
      control_number = v.control_number, control_source = v.control_source, alt_titles = v.alt_titles,
      alt_authors = v.alt_authors, notes = v.notes, issn = v.issn, system_numbers = v.system_numbers, updated_at = ${now}
    FROM jsonb_to_recordset(${json(rows)}) AS v(id int, title text, author text, isbn text[], publisher text, year int,
      publication text, subjects text[], format text, marc text, control_number text, control_source text,
      alt_titles text[], alt_authors text[], notes text, issn text[], system_numbers text[])
    WHERE records.id = v.id`.execute(trx);
}

interface ItemRow extends PlannedItem {
  record_id: number;
}

/** Volumes and shelving locations the items need, found or made in one statement each. */
async function volumesAndLocations(trx: Tx, items: ItemRow[], ctx: ApplyContext): Promise<{ volume: (i: ItemRow) => number; location: (i: ItemRow) => number | null }> {
  const volumeKey = (recordId: number, libraryId: number, callNumber: string) => `${recordId}|${libraryId}|${callNumber}`;
  const volumes = new Map(items.map((i) => [volumeKey(i.record_id, i.libraryId, i.callNumber), { record_id: i.record_id, library_id: i.libraryId, call_number: i.callNumber }]));
  // the no-op update makes RETURNING give the id of a volume that was already there
  const { rows: volumeRows } = await sql<{ id: number; record_id: number; library_id: number; call_number: string }>`
    INSERT INTO volumes (record_id, library_id, call_number)
    SELECT record_id, library_id, call_number FROM jsonb_to_recordset(${json([...volumes.values()])}) AS v(record_id int, library_id int, call_number text)
    ON CONFLICT (record_id, library_id, call_number) DO UPDATE SET call_number = EXCLUDED.call_number
    RETURNING id, record_id, library_id, call_number`.execute(trx);
  const volumeIds = new Map(volumeRows.map((v) => [volumeKey(v.record_id, v.library_id, v.call_number), v.id]));
  const locationKey = (libraryId: number, name: string) => `${libraryId}|${name}`;
  const wanted = new Map(items.filter((i) => i.location !== null).map((i) => [locationKey(i.libraryId, i.location!), { library_id: i.libraryId, name: i.location! }]));
  const locationIds = new Map<string, number>();
  if (wanted.size > 0) {
    const { rows } = await sql<{ id: number; library_id: number; name: string; holdable: boolean; inserted: boolean }>`
      INSERT INTO shelving_locations (library_id, name)
      SELECT library_id, name FROM jsonb_to_recordset(${json([...wanted.values()])}) AS v(library_id int, name text)
      ON CONFLICT (library_id, name) DO UPDATE SET name = EXCLUDED.name
      RETURNING id, library_id, name, holdable, xmax = 0 AS inserted`.execute(trx);
    for (const r of rows) locationIds.set(locationKey(r.library_id, r.name), r.id);
    const created = rows.filter((r) => r.inserted);
    if (created.length > 0) {
      await insertEvents(
        trx,
        created.map((r) => ({ kind: 'location-created', library_id: r.library_id, data: { name: r.name, holdable: r.holdable, source: ctx.source } })),
        ctx,
      );
    }
  }
  return {
    volume: (i) => volumeIds.get(volumeKey(i.record_id, i.libraryId, i.callNumber))!,
    location: (i) => (i.location === null ? null : (locationIds.get(locationKey(i.libraryId, i.location)) ?? null)),
  };
}

interface EventRow {
  kind: string;
  library_id: number | null;
  record_id?: number;
  item_id?: number;
  data: Record<string, unknown>;
}

async function insertEvents(trx: Tx, events: EventRow[], ctx: ApplyContext): Promise<void> {
  if (events.length === 0) return;
  const who = actorEventFields(ctx.actor);
  await sql`
    INSERT INTO events (at, kind, staff_id, actor_patron_id, library_id, record_id, item_id, data)
    SELECT ${ctx.clock.now()}, kind, ${who.staff_id}::int, ${who.actor_patron_id}::int, library_id, record_id, item_id, data
    FROM jsonb_to_recordset(${json(events)}) AS v(kind text, library_id int, record_id int, item_id int, data jsonb)`.execute(trx);
}

interface StoredItem {
  id: number;
  barcode: string;
  record_id: number;
  owning_library_id: number;
}

async function insertItems(trx: Tx, items: ItemRow[], ctx: ApplyContext): Promise<StoredItem[]> {
  if (items.length === 0) return [];
  const now = ctx.clock.now();
  const where = await volumesAndLocations(trx, items, ctx);
  const rows = items.map((i) => ({
    barcode: i.barcode,
    volume_id: where.volume(i),
    record_id: i.record_id,
    library_id: i.libraryId,
    location_id: where.location(i),
    holdable: i.holdable,
    circulates: i.circulates,
    status: i.status,
    cataloged_at: i.catalogedAt ?? localDate(now, ctx.timezones.get(i.libraryId) ?? 'UTC'),
  }));
  const { rows: stored } = await sql<StoredItem>`
    INSERT INTO items (barcode, volume_id, record_id, owning_library_id, current_library_id, location_id, holdable,
      circulates, status, cataloged_at, created_at, updated_at)
    SELECT barcode, volume_id, record_id, library_id, library_id, location_id, holdable, circulates, status, cataloged_at, ${now}, ${now}
    FROM jsonb_to_recordset(${json(rows)}) AS v(barcode text, volume_id int, record_id int, library_id int, location_id int,
      holdable boolean, circulates boolean, status text, cataloged_at date)
    -- a barcode another import took a moment ago stays theirs; the plan reports it below
    ON CONFLICT (barcode) DO NOTHING
    RETURNING id, barcode, record_id, owning_library_id`.execute(trx);
  return stored;
}

/**
 * Merges the words of new records from the GIN indexes' pending lists, which every search reads
 * through until they are merged: after an import rather than whenever autovacuum (which PGlite
 * lacks) gets to it.
 */
export async function mergeSearchIndexes(db: Db): Promise<void> {
  await sql`SELECT gin_clean_pending_list(i) FROM unnest(ARRAY['records_search', 'records_title_trgm', 'records_author_trgm']::regclass[]) AS i`.execute(db);
}

export async function applyImportPlan(trx: Tx, ctx: ApplyContext, records: ReadonlyMap<number, ParsedMarcRecord>, plan: ImportPlan): Promise<Applied> {
  const now = ctx.clock.now();
  const created = await insertRecords(trx, plan.created, records, now);
  await updateRecords(trx, plan.updated, records, now);
  const recordIds = new Map<number, number>([...created, ...plan.updated.map((u) => [u.position, u.id] as const), ...plan.unchanged.map((u) => [u.position, u.id] as const)]);
  const itemRows: ItemRow[] = plan.items.map((i) => ({ ...i, record_id: i.recordId ?? recordIds.get(i.position)! }));
  const stored = await insertItems(trx, itemRows, ctx);
  const storedBarcodes = new Set(stored.map((s) => s.barcode));
  const errors: ImportError[] = itemRows
    .filter((i) => !storedBarcodes.has(i.barcode))
    .map((i) => ({ record: i.position, item: i.item, barcode: i.barcode, message: `Item ${i.barcode} not imported: its barcode was taken by another item while this file was imported.` }));
  const byBarcode = new Map(itemRows.map((i) => [i.barcode, i]));
  const recordEvent = (kind: string, position: number, id: number): EventRow => {
    const r = records.get(position)!;
    return { kind, library_id: ctx.libraryId, record_id: id, data: { title: r.title, source: ctx.source, position, controlNumber: r.controlNumber, controlSource: r.controlSource } };
  };
  await insertEvents(
    trx,
    [
      ...[...created].map(([position, id]) => recordEvent('record-created', position, id)),
      ...plan.updated.map(({ position, id }) => recordEvent('record-updated', position, id)),
      ...stored.map((s): EventRow => {
        const i = byBarcode.get(s.barcode)!;
        return {
          kind: 'item-created',
          library_id: s.owning_library_id,
          record_id: s.record_id,
          item_id: s.id,
          data: { barcode: s.barcode, callNumber: i.callNumber, location: i.location, itemType: i.itemType, status: i.status, holdable: i.holdable, circulates: i.circulates, source: ctx.source },
        };
      }),
    ],
    ctx,
  );
  // A new copy of a record patrons wait for fills their holds inside this same import (DESIGN §4).
  const updatedIds = new Set(plan.updated.map((u) => u.id).concat(plan.unchanged.map((u) => u.id)));
  const newCopies = stored.filter((s) => updatedIds.has(s.record_id)).map((s) => s.id);
  if (newCopies.length > 0) {
    const { rows: waiting } = await sql<{ id: number }>`
      SELECT i.id FROM items i WHERE i.id = ANY(${newCopies}::int[])
        AND EXISTS (SELECT 1 FROM holds h WHERE h.record_id = i.record_id AND h.status = 'waiting')
      ORDER BY i.id`.execute(trx);
    if (waiting.length > 0) {
      const run = await startTargetingRun(trx, ctx);
      for (const { id } of waiting) await targetHoldsWaitingForItem(run, id);
    }
  }
  return { recordIds, items: stored.length, errors };
}
