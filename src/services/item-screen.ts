import { sql } from 'kysely';
import { requireStaff } from '../domain/actor';
import { protectedUntil, type AgeProtection } from '../domain/age-protection';
import { notFound, ok, type Result } from '../domain/refusal';
import { itemFlagsOf } from './circulation/problems';
import type { Db, ServiceContext } from './context';
import type { ItemRef, ItemStatus } from './item-view';
import type { LibraryRef } from './library-view';
import { toPatronRef, type PatronRef } from './patron-view';
import type { LocationRef } from './record-view';

// The item screen: everything staff need to answer "where is this copy and why" in one
// answer — its record and shelf, the hold, transit or loan it is bound to, and its history.

export interface ItemScreen extends ItemRef {
  owningLibrary: LibraryRef;
  currentLibrary: LibraryRef;
  record: { id: number; title: string; author: string | null };
  volume: { id: number; callNumber: string };
  callNumber: string;
  location: LocationRef | null;
  holdable: boolean;
  circulates: boolean;
  catalogedAt: string;
  ageProtection: AgeProtection;
  protectedUntil: string | null;
  hold: { id: number; status: string; patron: PatronRef; pickupLibrary: LibraryRef } | null;
  transit: { id: number; kind: 'hold' | 'return'; source: LibraryRef; destination: LibraryRef; sentAt: string } | null;
  loan: { id: number; patron: PatronRef; dueDate: string; checkedOutAt: string } | null;
  circulations: number;
  /** Problems staff should look at ('bouncing', 'transit-overdue'); empty when nothing applies. */
  flags: string[];
  history: ItemEvent[];
}

export interface ItemEvent {
  at: string;
  kind: string;
  library: LibraryRef | null;
  staff: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

// Enough to read an item's story on one screen; older events stay in the audit trail.
const historyLimit = 500;

export async function getItemScreen(ctx: ServiceContext, barcode: string): Promise<Result<ItemScreen>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const screen = await loadItemScreen(ctx.db, barcode, ctx.clock.now());
  return screen ? ok(screen) : notFound(`Item ${barcode}`);
}

function libraryRef(code: string | null, name: string | null): LibraryRef | null {
  return code === null || name === null ? null : { code, name };
}

/** The item screen in eight queries, most of them side by side. */
export async function loadItemScreen(db: Db, barcode: string, now: Date): Promise<ItemScreen | undefined> {
  const item = await db
    .selectFrom('items')
    .innerJoin('records', 'records.id', 'items.record_id')
    .innerJoin('volumes', 'volumes.id', 'items.volume_id')
    .innerJoin('libraries as owner', 'owner.id', 'items.owning_library_id')
    .innerJoin('libraries as here', 'here.id', 'items.current_library_id')
    .leftJoin('shelving_locations as location', 'location.id', 'items.location_id')
    .select([
      'items.id',
      'items.barcode',
      'items.status',
      'items.holdable',
      'items.circulates',
      'items.cataloged_at',
      'items.age_protection',
      'items.circulation_count',
      'records.id as record_id',
      'records.title',
      'records.author',
      'volumes.id as volume_id',
      'volumes.call_number',
      'owner.code as owner_code',
      'owner.name as owner_name',
      'here.code as here_code',
      'here.name as here_name',
      'location.name as location_name',
      'location.holdable as location_holdable',
    ])
    .where('items.barcode', '=', barcode)
    .executeTakeFirst();
  if (!item) return undefined;
  const [hold, transit, loan, history, flags] = await Promise.all([
    openHoldOf(db, item.id),
    openTransitOf(db, item.id),
    openLoanOf(db, item.id),
    historyOf(db, item.id),
    itemFlagsOf(db, item.id, now),
  ]);
  const owningLibrary = { code: item.owner_code, name: item.owner_name };
  const ageProtection = item.age_protection as AgeProtection;
  return {
    barcode: item.barcode,
    status: item.status as ItemStatus,
    library: owningLibrary,
    owningLibrary,
    currentLibrary: { code: item.here_code, name: item.here_name },
    record: { id: item.record_id, title: item.title, author: item.author },
    volume: { id: item.volume_id, callNumber: item.call_number },
    callNumber: item.call_number,
    location: item.location_name === null ? null : { name: item.location_name, holdable: item.location_holdable ?? true },
    holdable: item.holdable,
    circulates: item.circulates,
    catalogedAt: item.cataloged_at,
    ageProtection,
    protectedUntil: protectedUntil(item.cataloged_at, ageProtection),
    hold,
    transit,
    loan,
    circulations: item.circulation_count,
    flags,
    history,
  };
}

/** The hold that targets this item, or that captured it (in transit or on the holds shelf). */
async function openHoldOf(db: Db, itemId: number): Promise<ItemScreen['hold']> {
  const row = await db
    .selectFrom('holds')
    .innerJoin('patrons', 'patrons.id', 'holds.patron_id')
    .innerJoin('libraries as pickup', 'pickup.id', 'holds.pickup_library_id')
    .select(['holds.id', 'holds.status', 'patrons.barcode', 'patrons.first_name', 'patrons.last_name', 'pickup.code', 'pickup.name'])
    .where((eb) =>
      eb.or([
        eb.and([eb('holds.target_item_id', '=', itemId), eb('holds.status', '=', 'targeted')]),
        eb.and([eb('holds.captured_item_id', '=', itemId), eb('holds.status', 'in', ['in-transit', 'on-holds-shelf'])]),
      ]),
    )
    // a captured hold is bound to the copy in hand; a mere target comes second
    .orderBy(sql`holds.status = 'targeted'`)
    .orderBy('holds.id')
    .executeTakeFirst();
  return row ? { id: row.id, status: row.status, patron: toPatronRef(row), pickupLibrary: { code: row.code, name: row.name } } : null;
}

async function openTransitOf(db: Db, itemId: number): Promise<ItemScreen['transit']> {
  const row = await db
    .selectFrom('transits')
    .innerJoin('libraries as source', 'source.id', 'transits.source_library_id')
    .innerJoin('libraries as destination', 'destination.id', 'transits.destination_library_id')
    .select([
      'transits.id',
      'transits.kind',
      'transits.sent_at',
      'source.code as source_code',
      'source.name as source_name',
      'destination.code as destination_code',
      'destination.name as destination_name',
    ])
    .where('transits.item_id', '=', itemId)
    .where('transits.received_at', 'is', null)
    .where('transits.cancelled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    kind: row.kind,
    source: { code: row.source_code, name: row.source_name },
    destination: { code: row.destination_code, name: row.destination_name },
    sentAt: row.sent_at.toISOString(),
  };
}

async function openLoanOf(db: Db, itemId: number): Promise<ItemScreen['loan']> {
  const row = await db
    .selectFrom('loans')
    .innerJoin('patrons', 'patrons.id', 'loans.patron_id')
    .select(['loans.id', 'loans.due_date', 'loans.checked_out_at', 'patrons.barcode', 'patrons.first_name', 'patrons.last_name'])
    .where('loans.item_id', '=', itemId)
    .where('loans.returned_at', 'is', null)
    .executeTakeFirst();
  return row ? { id: row.id, patron: toPatronRef(row), dueDate: row.due_date, checkedOutAt: row.checked_out_at.toISOString() } : null;
}

async function historyOf(db: Db, itemId: number): Promise<ItemEvent[]> {
  const rows = await db
    .selectFrom('events')
    .leftJoin('libraries', 'libraries.id', 'events.library_id')
    .leftJoin('staff', 'staff.id', 'events.staff_id')
    .select(['events.at', 'events.kind', 'events.reason', 'events.data', 'libraries.code', 'libraries.name', 'staff.username'])
    .where('events.item_id', '=', itemId)
    .orderBy('events.id', 'desc')
    .limit(historyLimit)
    .execute();
  return rows.map((r) => ({
    at: r.at.toISOString(),
    kind: r.kind,
    library: libraryRef(r.code, r.name),
    staff: r.username,
    reason: r.reason,
    data: r.data,
  }));
}
