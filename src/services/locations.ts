import { sql } from 'kysely';
import { requireOwnLibrary, requireStaff, type StaffActor } from '../domain/actor';
import { notFound, ok, refuse, type Result } from '../domain/refusal';
import { recordEvent } from '../db/events';
import type { LibraryRow } from '../db/schema';
import { actorEventFields, type Db, type ServiceContext, type Tx } from './context';
import { afterItemChanged } from './holds/item-availability';
import { startTargetingRun } from './holds/targeting-run';
import { inTransaction } from './transaction';
import { findLibraryByCode } from './library-view';

// Shelving locations: named places in a library ("Stacks", "New Books", "Reference"), each of
// which may forbid holds on everything shelved there.

export interface LocationView {
  name: string;
  holdable: boolean;
  /** How many of the library's items are shelved here. */
  items: number;
}

export interface LocationPatch {
  name?: string;
  holdable?: boolean;
}

export interface ShelvingLocation {
  id: number;
  name: string;
  holdable: boolean;
}

async function loadLocationViews(db: Db, libraryId: number, onlyName?: string): Promise<LocationView[]> {
  let query = db
    .selectFrom('shelving_locations')
    .leftJoin('items', 'items.location_id', 'shelving_locations.id')
    .select(['shelving_locations.name', 'shelving_locations.holdable', sql<string>`count(items.id)`.as('items')])
    .where('shelving_locations.library_id', '=', libraryId)
    .groupBy(['shelving_locations.id', 'shelving_locations.name', 'shelving_locations.holdable'])
    .orderBy('shelving_locations.name');
  if (onlyName !== undefined) query = query.where('shelving_locations.name', '=', onlyName);
  const rows = await query.execute();
  return rows.map((r) => ({ name: r.name, holdable: r.holdable, items: Number(r.items) }));
}

/** The library at `code` if the actor may change its shelving locations. */
async function libraryToCatalog(ctx: ServiceContext, code: string): Promise<Result<{ staff: StaffActor; library: LibraryRow }>> {
  const staff = requireStaff(ctx.actor, 'cataloger');
  if (!staff.ok) return staff;
  const library = await findLibraryByCode(ctx.db, code);
  if (!library) return notFound(`Library ${code}`);
  const own = requireOwnLibrary(staff.value, library.id, library.code);
  if (!own.ok) return own;
  if (library.kind === 'system') return refuse('INVALID_STATE', `${library.code} is a system: it holds no items, so it has no shelving locations.`);
  return ok({ staff: staff.value, library });
}

export async function listLocations(ctx: ServiceContext, code: string): Promise<Result<LocationView[]>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const library = await findLibraryByCode(ctx.db, code);
  if (!library) return notFound(`Library ${code}`);
  return ok(await loadLocationViews(ctx.db, library.id));
}

export async function createLocation(ctx: ServiceContext, code: string, input: { name: string; holdable?: boolean }): Promise<Result<LocationView>> {
  const allowed = await libraryToCatalog(ctx, code);
  if (!allowed.ok) return allowed;
  const { library } = allowed.value;
  const created = await inTransaction(ctx, async (trx): Promise<Result<null>> => {
    const row = await trx
      .insertInto('shelving_locations')
      .values({ library_id: library.id, name: input.name, holdable: input.holdable ?? true })
      .onConflict((oc) => oc.columns(['library_id', 'name']).doNothing())
      .returning(['id', 'name', 'holdable'])
      .executeTakeFirst();
    if (!row) return refuse('DUPLICATE', `${library.code} already has a shelving location named "${input.name}".`);
    await locationCreatedEvent(ctx, trx, library.id, row);
    return ok(null);
  });
  if (!created.ok) return created;
  return ok((await loadLocationViews(ctx.db, library.id, input.name))[0]);
}

export async function updateLocation(ctx: ServiceContext, code: string, name: string, patch: LocationPatch): Promise<Result<LocationView>> {
  const allowed = await libraryToCatalog(ctx, code);
  if (!allowed.ok) return allowed;
  const { library } = allowed.value;
  const result = await inTransaction(ctx, async (trx): Promise<Result<string>> => {
    const before = await trx
      .selectFrom('shelving_locations')
      .select(['id', 'name', 'holdable'])
      .where('library_id', '=', library.id)
      .where('name', '=', name)
      .forUpdate()
      .executeTakeFirst();
    if (!before) return notFound(`Shelving location "${name}" of ${library.code}`);
    const after = { name: patch.name ?? before.name, holdable: patch.holdable ?? before.holdable };
    if (after.name === before.name && after.holdable === before.holdable) return ok(before.name);
    if (after.name !== before.name) {
      const taken = await trx.selectFrom('shelving_locations').select('id').where('library_id', '=', library.id).where('name', '=', after.name).executeTakeFirst();
      if (taken) return refuse('DUPLICATE', `${library.code} already has a shelving location named "${after.name}".`);
    }
    await trx.updateTable('shelving_locations').set(after).where('id', '=', before.id).execute();
    await recordEvent(trx, {
      at: ctx.clock.now(),
      kind: 'location-updated',
      library_id: library.id,
      ...actorEventFields(ctx.actor),
      data: { before: { name: before.name, holdable: before.holdable }, after },
    });
    if (after.holdable !== before.holdable) {
      // every item on that shelf just became (un)holdable: targeting follows in this request
      const run = await startTargetingRun(trx, ctx);
      const items = await trx.selectFrom('items').select('id').where('location_id', '=', before.id).execute();
      for (const item of items) await afterItemChanged(run, item.id);
    }
    return ok(after.name);
  });
  if (!result.ok) return result;
  return ok((await loadLocationViews(ctx.db, library.id, result.value))[0]);
}

async function locationCreatedEvent(ctx: ServiceContext, trx: Tx, libraryId: number, location: ShelvingLocation): Promise<void> {
  await recordEvent(trx, {
    at: ctx.clock.now(),
    kind: 'location-created',
    library_id: libraryId,
    ...actorEventFields(ctx.actor),
    data: { name: location.name, holdable: location.holdable },
  });
}

/**
 * The owning library's shelving location named `name`; a name not seen before is created
 * holdable (API.md), so catalogers can shelve a new item without a detour.
 */
export async function findOrCreateLocation(ctx: ServiceContext, trx: Tx, libraryId: number, name: string): Promise<ShelvingLocation> {
  const existing = await trx
    .selectFrom('shelving_locations')
    .select(['id', 'name', 'holdable'])
    .where('library_id', '=', libraryId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (existing) return existing;
  const created = await trx
    .insertInto('shelving_locations')
    .values({ library_id: libraryId, name, holdable: true })
    // another cataloger made it a moment ago: use theirs
    .onConflict((oc) => oc.columns(['library_id', 'name']).doUpdateSet({ name }))
    // xmax is 0 only on a row this statement inserted
    .returning(['id', 'name', 'holdable', sql<boolean>`xmax = 0`.as('inserted')])
    .executeTakeFirstOrThrow();
  const location = { id: created.id, name: created.name, holdable: created.holdable };
  if (created.inserted) await locationCreatedEvent(ctx, trx, libraryId, location);
  return location;
}
