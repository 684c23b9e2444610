import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Db } from './context';
import type { LibraryRef } from './library-view';

/** How a patron appears inside any other answer (API.md "Shapes"). */
export interface PatronRef {
  barcode: string;
  name: string;
}

export type NotifyChannel = 'email' | 'phone';

export interface PatronView extends PatronRef {
  firstName: string;
  lastName: string;
  homeLibrary: LibraryRef;
  email: string | null;
  phone: string | null;
  notifyBy: NotifyChannel[];
  defaultPickupLibrary: LibraryRef | null;
  username: string | null;
  blocked: boolean;
  blockReason: string | null;
  createdAt: string;
}

export interface PatronHoldSummary {
  id: number;
  type: 'title' | 'volume' | 'copy';
  status: string;
  record: { id: number; title: string };
  pickupLibrary: LibraryRef;
  requestedAt: string;
}

export interface PatronLoanSummary {
  id: number;
  item: { barcode: string; status: string; library: LibraryRef };
  record: { id: number; title: string };
  dueDate: string;
  checkedOutAt: string;
  renewals: number;
}

/** The patron's account page: the patron with open holds and current loans. */
export interface PatronDetail extends PatronView {
  holds: PatronHoldSummary[];
  loans: PatronLoanSummary[];
}

export function patronName(firstName: string, lastName: string): string {
  return `${firstName} ${lastName}`;
}

export function toPatronRef(row: { barcode: string; first_name: string; last_name: string }): PatronRef {
  return { barcode: row.barcode, name: patronName(row.first_name, row.last_name) };
}

/** Patron references by id, for answers that list many patrons (one query). */
export async function loadPatronRefs(db: Db, ids: number[]): Promise<Map<number, PatronRef>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('patrons')
    .select(['id', 'barcode', 'first_name', 'last_name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, toPatronRef(r)]));
}

/** Patrons with their home and default pickup libraries; callers add the filter and order. */
export function patronViewQuery(db: Kysely<Database>) {
  return db
    .selectFrom('patrons')
    .innerJoin('libraries as home', 'home.id', 'patrons.home_library_id')
    .leftJoin('libraries as pickup', 'pickup.id', 'patrons.default_pickup_library_id')
    .select([
      'patrons.id',
      'patrons.barcode',
      'patrons.first_name',
      'patrons.last_name',
      'patrons.email',
      'patrons.phone',
      'patrons.notify_by',
      'patrons.username',
      'patrons.blocked',
      'patrons.block_reason',
      'patrons.created_at',
      'home.code as home_code',
      'home.name as home_name',
      'pickup.code as pickup_code',
      'pickup.name as pickup_name',
    ]);
}

type PatronViewRow = Awaited<ReturnType<ReturnType<typeof patronViewQuery>['executeTakeFirstOrThrow']>>;

export function toPatronView(row: PatronViewRow): PatronView {
  return {
    ...toPatronRef(row),
    firstName: row.first_name,
    lastName: row.last_name,
    homeLibrary: { code: row.home_code, name: row.home_name },
    email: row.email,
    phone: row.phone,
    notifyBy: row.notify_by as NotifyChannel[],
    defaultPickupLibrary: row.pickup_code !== null && row.pickup_name !== null ? { code: row.pickup_code, name: row.pickup_name } : null,
    username: row.username,
    blocked: row.blocked,
    blockReason: row.block_reason,
    createdAt: row.created_at.toISOString(),
  };
}

export async function loadPatronView(db: Kysely<Database>, patronId: number): Promise<PatronView> {
  return toPatronView(await patronViewQuery(db).where('patrons.id', '=', patronId).executeTakeFirstOrThrow());
}

export async function loadPatronDetail(db: Kysely<Database>, patronId: number): Promise<PatronDetail> {
  const [patron, holds, loans] = await Promise.all([loadPatronView(db, patronId), openHoldsOf(db, patronId), openLoansOf(db, patronId)]);
  return { ...patron, holds, loans };
}

/** Holds still in play: anything not yet fulfilled or cancelled, oldest request first. */
async function openHoldsOf(db: Kysely<Database>, patronId: number): Promise<PatronHoldSummary[]> {
  const rows = await db
    .selectFrom('holds')
    .innerJoin('records', 'records.id', 'holds.record_id')
    .innerJoin('libraries', 'libraries.id', 'holds.pickup_library_id')
    .select(['holds.id', 'holds.type', 'holds.status', 'holds.requested_at', 'records.id as record_id', 'records.title', 'libraries.code', 'libraries.name'])
    .where('holds.patron_id', '=', patronId)
    .where('holds.status', 'not in', ['fulfilled', 'cancelled'])
    .orderBy('holds.requested_at')
    .orderBy('holds.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    status: r.status,
    record: { id: r.record_id, title: r.title },
    pickupLibrary: { code: r.code, name: r.name },
    requestedAt: r.requested_at.toISOString(),
  }));
}

/** Loans not yet returned, soonest due first; an item's library is its owning library. */
async function openLoansOf(db: Kysely<Database>, patronId: number): Promise<PatronLoanSummary[]> {
  const rows = await db
    .selectFrom('loans')
    .innerJoin('items', 'items.id', 'loans.item_id')
    .innerJoin('libraries', 'libraries.id', 'items.owning_library_id')
    .innerJoin('records', 'records.id', 'items.record_id')
    .select(['loans.id', 'loans.due_date', 'loans.checked_out_at', 'loans.renewals', 'items.barcode', 'items.status', 'libraries.code', 'libraries.name', 'records.id as record_id', 'records.title'])
    .where('loans.patron_id', '=', patronId)
    .where('loans.returned_at', 'is', null)
    .orderBy('loans.due_date')
    .orderBy('loans.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    item: { barcode: r.barcode, status: r.status, library: { code: r.code, name: r.name } },
    record: { id: r.record_id, title: r.title },
    dueDate: r.due_date,
    checkedOutAt: r.checked_out_at.toISOString(),
    renewals: r.renewals,
  }));
}
