import { requireOwnLibrary, requireStaff } from '../domain/actor';
import type { AgeProtection } from '../domain/age-protection';
import { invalid, notFound, ok, refuse, type Result } from '../domain/refusal';
import { recordEvent } from '../db/events';
import type { ItemRow } from '../db/schema';
import { actorEventFields, type ServiceContext, type Tx } from './context';
import { loadItemScreen, type ItemScreen } from './item-screen';
import { findItemByBarcode, type ItemStatus } from './item-view';
import { findLibraryByCode } from './library-view';
import { localDate } from './local-date';
import { afterItemChanged, targetHoldsWaitingForItem } from './holds/item-availability';
import { startTargetingRun } from './holds/targeting-run';
import { inTransaction } from './transaction';
import { findOrCreateLocation } from './locations';

export interface NewItem {
  recordId: number;
  libraryCode: string;
  callNumber: string;
  barcode: string;
  location?: string;
  holdable?: boolean;
  circulates?: boolean;
  catalogedAt?: string;
  ageProtection?: AgeProtection;
}

/** The statuses staff may set by hand; the others follow scans, check-outs and holds. */
export const settableStatuses = ['available', 'missing', 'damaged', 'lost'] as const;
export type SettableStatus = (typeof settableStatuses)[number];

export interface ItemPatch {
  ageProtection?: AgeProtection;
  /** A shelving location name of the owning library; null takes the item off any location. */
  location?: string | null;
  holdable?: boolean;
  circulates?: boolean;
  status?: SettableStatus;
}

/** The item as it now stands, answered to a change. */
async function itemScreenOf(ctx: ServiceContext, barcode: string): Promise<Result<ItemScreen>> {
  const screen = await loadItemScreen(ctx.db, barcode, ctx.clock.now());
  return screen ? ok(screen) : notFound(`Item ${barcode}`);
}

function duplicateBarcode(barcode: string): Result<never> {
  return refuse('DUPLICATE', `Barcode ${barcode} is already on another item.`);
}

export async function createItem(ctx: ServiceContext, input: NewItem): Promise<Result<ItemScreen>> {
  const staff = requireStaff(ctx.actor, 'cataloger');
  if (!staff.ok) return staff;
  const library = await findLibraryByCode(ctx.db, input.libraryCode);
  if (!library) return invalid('libraryCode', `There is no library with code ${input.libraryCode}.`);
  const own = requireOwnLibrary(staff.value, library.id, library.code);
  if (!own.ok) return own;
  if (library.kind === 'system') return invalid('libraryCode', `${library.code} is a system and holds no items: give the code of one of its branches.`);
  const record = await ctx.db.selectFrom('records').select('id').where('id', '=', input.recordId).executeTakeFirst();
  if (!record) return invalid('recordId', `There is no record ${input.recordId}.`);
  const now = ctx.clock.now();
  const created = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    if (await findItemByBarcode(trx, input.barcode)) return duplicateBarcode(input.barcode);
    const location = input.location === undefined ? null : await findOrCreateLocation(ctx, trx, library.id, input.location);
    const volume = await trx
      .insertInto('volumes')
      .values({ record_id: record.id, library_id: library.id, call_number: input.callNumber })
      // found or created in one statement: the no-op update makes RETURNING give the existing id
      .onConflict((oc) => oc.columns(['record_id', 'library_id', 'call_number']).doUpdateSet({ call_number: input.callNumber }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const item = await trx
      .insertInto('items')
      .values({
        barcode: input.barcode,
        volume_id: volume.id,
        record_id: record.id,
        owning_library_id: library.id,
        current_library_id: library.id,
        location_id: location?.id ?? null,
        holdable: input.holdable ?? true,
        circulates: input.circulates ?? true,
        status: 'available',
        cataloged_at: input.catalogedAt ?? localDate(now, library.timezone),
        age_protection: input.ageProtection ?? 'none',
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('barcode').doNothing())
      .returning(['id', 'cataloged_at', 'age_protection'])
      .executeTakeFirst();
    if (!item) return duplicateBarcode(input.barcode);
    await recordEvent(trx, {
      at: now,
      kind: 'item-created',
      item_id: item.id,
      record_id: record.id,
      library_id: library.id,
      ...actorEventFields(ctx.actor),
      data: {
        barcode: input.barcode,
        callNumber: input.callNumber,
        location: location?.name ?? null,
        holdable: input.holdable ?? true,
        circulates: input.circulates ?? true,
        catalogedAt: item.cataloged_at,
        ageProtection: item.age_protection,
      },
    });
    // a new copy fills the holds waiting for it inside this same request
    await targetHoldsWaitingForItem(await startTargetingRun(trx, ctx), item.id);
    return ok(null);
  });
  if (!created.ok) return created;
  return itemScreenOf(ctx, input.barcode);
}

/** Why staff may not set the status of an item in `status` by hand, or null when they may. */
function statusChangeRefused(barcode: string, status: ItemStatus): string | null {
  switch (status) {
    case 'checked-out':
      return `Item ${barcode} is checked out; its status changes when it is checked in (scan it).`;
    case 'in-transit':
      return `Item ${barcode} is in transit; its status changes when the library it travels to scans it.`;
    case 'on-holds-shelf':
      return `Item ${barcode} is on the holds shelf for a patron; its status changes when it is checked out or its hold is cancelled and it is scanned.`;
    case 'transit-cancelled':
      return `Item ${barcode} had its transit cancelled; scan it so that it is sent where it is needed.`;
    case 'available':
    case 'missing':
    case 'damaged':
    case 'lost':
    case 'in-process':
      return null;
  }
}

type ItemFields = Pick<ItemRow, 'status' | 'holdable' | 'circulates' | 'age_protection'> & { location: string | null };

function itemFacts(item: ItemFields): Record<string, unknown> {
  return { status: item.status, holdable: item.holdable, circulates: item.circulates, ageProtection: item.age_protection, location: item.location };
}

export async function updateItem(ctx: ServiceContext, barcode: string, patch: ItemPatch): Promise<Result<ItemScreen>> {
  const staff = requireStaff(ctx.actor, 'cataloger');
  if (!staff.ok) return staff;
  const found = await ctx.db
    .selectFrom('items')
    .innerJoin('libraries', 'libraries.id', 'items.owning_library_id')
    .select(['items.id', 'libraries.id as library_id', 'libraries.code'])
    .where('items.barcode', '=', barcode)
    .executeTakeFirst();
  if (!found) return notFound(`Item ${barcode}`);
  const own = requireOwnLibrary(staff.value, found.library_id, found.code);
  if (!own.ok) return own;
  const now = ctx.clock.now();
  const changed = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    const item = await trx
      .selectFrom('items')
      .leftJoin('shelving_locations', 'shelving_locations.id', 'items.location_id')
      .select(['items.id', 'items.record_id', 'items.status', 'items.holdable', 'items.circulates', 'items.age_protection', 'items.location_id', 'shelving_locations.name as location'])
      .where('items.id', '=', found.id)
      .forUpdate('items')
      .executeTakeFirstOrThrow();
    if (patch.status !== undefined && patch.status !== item.status) {
      const refused = statusChangeRefused(barcode, item.status as ItemStatus);
      if (refused) return refuse('INVALID_STATE', refused);
    }
    const location = patch.location === undefined || patch.location === null ? null : await findOrCreateLocation(ctx, trx, found.library_id, patch.location);
    const after: ItemFields = {
      status: patch.status ?? item.status,
      holdable: patch.holdable ?? item.holdable,
      circulates: patch.circulates ?? item.circulates,
      age_protection: patch.ageProtection ?? item.age_protection,
      location: patch.location === undefined ? item.location : (location?.name ?? null),
    };
    const before = itemFacts(item);
    const changes = Object.entries(itemFacts(after)).filter(([key, value]) => before[key] !== value);
    if (changes.length === 0) return ok(null);
    await trx
      .updateTable('items')
      .set({
        status: after.status,
        holdable: after.holdable,
        circulates: after.circulates,
        age_protection: after.age_protection,
        location_id: patch.location === undefined ? item.location_id : (location?.id ?? null),
        updated_at: now,
      })
      .where('id', '=', item.id)
      .execute();
    await recordEvent(trx, {
      at: now,
      kind: 'item-updated',
      item_id: item.id,
      record_id: item.record_id,
      library_id: found.library_id,
      ...actorEventFields(ctx.actor),
      data: { before: Object.fromEntries(changes.map(([key]) => [key, before[key]])), after: Object.fromEntries(changes) },
    });
    // holds it can no longer fill are retargeted, holds it now can fill are targeted, in this request
    await afterItemChanged(await startTargetingRun(trx, ctx), item.id);
    return ok(null);
  });
  if (!changed.ok) return changed;
  return itemScreenOf(ctx, barcode);
}
