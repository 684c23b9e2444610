import type { ItemRow } from '../db/schema';
import type { Db } from './context';
import type { LibraryRef } from './library-view';

// An item wherever it appears inside another answer (a hold's target, a transit, a loan, a
// scan): API.md "Conventions" says at least {barcode, status, library}, the library being the
// owning library.

export { itemStatuses, type ItemStatus } from '../domain/item-status';
import type { ItemStatus } from '../domain/item-status';

export interface ItemRef {
  barcode: string;
  status: ItemStatus;
  library: LibraryRef;
}

/** The item references of `itemIds`, keyed by item id, in one query. */
export async function loadItemRefs(db: Db, itemIds: readonly number[]): Promise<Map<number, ItemRef>> {
  const refs = new Map<number, ItemRef>();
  if (itemIds.length === 0) return refs;
  const rows = await db
    .selectFrom('items')
    .innerJoin('libraries', 'libraries.id', 'items.owning_library_id')
    .select(['items.id', 'items.barcode', 'items.status', 'libraries.code', 'libraries.name'])
    .where('items.id', 'in', [...new Set(itemIds)])
    .execute();
  for (const row of rows) refs.set(row.id, toItemRef(row));
  return refs;
}

/** For a query that already joined the owning library as `code` and `name`. */
export function toItemRef(row: { barcode: string; status: string; code: string; name: string }): ItemRef {
  return { barcode: row.barcode, status: row.status as ItemStatus, library: { code: row.code, name: row.name } };
}

export async function findItemByBarcode(db: Db, barcode: string): Promise<ItemRow | undefined> {
  return db.selectFrom('items').selectAll().where('barcode', '=', barcode).executeTakeFirst();
}
