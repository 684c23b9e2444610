import { sql } from 'kysely';
import type { BibliographicFields } from '../domain/catalog/marc-fields';
import type { RecordRow } from '../db/schema';
import type { Db } from './context';
import type { ItemStatus } from './item-view';
import type { LibraryRef } from './library-view';

export interface RecordView extends BibliographicFields {
  id: number;
}

export interface LocationRef {
  name: string;
  holdable: boolean;
}

/** A copy as the catalog shows it: where it is shelved and whether it is out. */
export interface RecordPageItem {
  barcode: string;
  status: ItemStatus;
  library: LibraryRef;
  location: LocationRef | null;
  holdable: boolean;
  circulates: boolean;
  dueDate: string | null;
}

export interface VolumeView {
  id: number;
  library: LibraryRef;
  callNumber: string;
  items: RecordPageItem[];
}

/** How many copies one library owns and how many are on its shelf now. */
export interface LibraryHoldings {
  library: LibraryRef;
  total: number;
  available: number;
}

export interface RecordPage extends RecordView {
  /** Other titles: uniform, varying, and in the original script (880). */
  alternativeTitles: string[];
  issn: string[];
  volumes: VolumeView[];
  /** Copies per owning library, for "where is it" at a glance. */
  holdings: LibraryHoldings[];
  /** Holds not yet fulfilled or cancelled: the queue a new hold joins. */
  holdCount: number;
  /** Of those, the holds still waiting for a copy (not yet caught in transit or on a holds shelf). */
  queueLength: number;
}

export function toRecordView(row: Pick<RecordRow, 'id' | 'title' | 'author' | 'isbn' | 'publisher' | 'year' | 'publication' | 'subjects' | 'format'>): RecordView {
  return {
    id: row.id,
    title: row.title,
    author: row.author,
    isbn: row.isbn,
    publisher: row.publisher,
    year: row.year,
    publication: row.publication,
    subjects: row.subjects,
    format: row.format,
  };
}

const viewColumns = ['id', 'title', 'author', 'isbn', 'publisher', 'year', 'publication', 'subjects', 'format'] as const;

export async function loadRecordView(db: Db, id: number): Promise<RecordView | undefined> {
  const row = await db.selectFrom('records').select(viewColumns).where('id', '=', id).executeTakeFirst();
  return row && toRecordView(row);
}

/** The record page in four queries, however many volumes and items the record has. */
export async function loadRecordPage(db: Db, id: number): Promise<RecordPage | undefined> {
  const row = await db.selectFrom('records').select([...viewColumns, 'alt_titles', 'issn']).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const record = toRecordView(row);
  const [volumes, items, holds] = await Promise.all([
    db
      .selectFrom('volumes')
      .innerJoin('libraries', 'libraries.id', 'volumes.library_id')
      .select(['volumes.id', 'volumes.call_number', 'libraries.code', 'libraries.name'])
      .where('volumes.record_id', '=', id)
      .orderBy('libraries.code')
      .orderBy('volumes.call_number')
      .execute(),
    db
      .selectFrom('items')
      .innerJoin('libraries', 'libraries.id', 'items.owning_library_id')
      .leftJoin('shelving_locations', 'shelving_locations.id', 'items.location_id')
      .leftJoin('loans', (join) => join.onRef('loans.item_id', '=', 'items.id').on('loans.returned_at', 'is', null))
      .select([
        'items.volume_id',
        'items.barcode',
        'items.status',
        'items.holdable',
        'items.circulates',
        'libraries.code',
        'libraries.name',
        'shelving_locations.name as location_name',
        'shelving_locations.holdable as location_holdable',
        'loans.due_date',
      ])
      .where('items.record_id', '=', id)
      .orderBy('items.barcode')
      .execute(),
    db
      .selectFrom('holds')
      .select([sql<string>`count(*)`.as('open'), sql<string>`count(*) FILTER (WHERE status IN ('waiting', 'targeted', 'suspended'))`.as('waiting')])
      .where('record_id', '=', id)
      .where('status', 'not in', ['fulfilled', 'cancelled'])
      .executeTakeFirstOrThrow(),
  ]);
  const itemsByVolume = new Map<number, RecordPageItem[]>();
  for (const item of items) {
    const list = itemsByVolume.get(item.volume_id) ?? [];
    list.push({
      barcode: item.barcode,
      status: item.status as ItemStatus,
      library: { code: item.code, name: item.name },
      location: item.location_name === null ? null : { name: item.location_name, holdable: item.location_holdable ?? true },
      holdable: item.holdable,
      circulates: item.circulates,
      dueDate: item.due_date,
    });
    itemsByVolume.set(item.volume_id, list);
  }
  const holdings = new Map<string, LibraryHoldings>();
  for (const item of items) {
    const entry = holdings.get(item.code) ?? { library: { code: item.code, name: item.name }, total: 0, available: 0 };
    entry.total++;
    if (item.status === 'available') entry.available++;
    holdings.set(item.code, entry);
  }
  return {
    ...record,
    alternativeTitles: row.alt_titles,
    issn: row.issn,
    holdings: [...holdings.values()].sort((a, b) => a.library.code.localeCompare(b.library.code)),
    queueLength: Number(holds.waiting),
    volumes: volumes.map((v) => ({
      id: v.id,
      library: { code: v.code, name: v.name },
      callNumber: v.call_number,
      items: itemsByVolume.get(v.id) ?? [],
    })),
    holdCount: Number(holds.open),
  };
}
