import { sql } from 'kysely';
import { requireOwnLibrary, requireStaff } from '../../domain/actor';
import { notFound, ok, type Result } from '../../domain/refusal';
import type { ServiceContext } from '../context';
import { findLibraryByCode, type LibraryRef } from '../library-view';
import { toPatronRef, type PatronRef } from '../patron-view';

// The lists that replace the paper folders at the desk (DESIGN §4 "Reports"): our items away at
// other libraries ("lent out") and other libraries' items here ("received"). Each row says where
// the copy is, in what state since when, and for whom, so that nothing is lost in the loop.

export interface Paging {
  limit: number;
  offset: number;
}

export function page<T>(rows: T[], paging: Paging): T[] {
  return rows.slice(paging.offset, paging.offset + paging.limit);
}

/** A library's lists are for its own staff (any role); a consortium administrator sees every library's. */
export async function libraryForStaff(ctx: ServiceContext, code: string): Promise<Result<{ id: number; code: string; name: string }>> {
  const staff = requireStaff(ctx.actor);
  if (!staff.ok) return staff;
  const library = await findLibraryByCode(ctx.db, code);
  if (!library) return notFound(`Library ${code}`);
  const own = requireOwnLibrary(staff.value, library.id, library.code);
  if (!own.ok) return own;
  return ok({ id: library.id, code: library.code, name: library.name });
}

export type CopyState = 'in-transit' | 'on-holds-shelf' | 'checked-out' | 'on-shelf';

interface ListItem {
  barcode: string;
  status: string;
  title: string;
  callNumber: string;
}

export interface LentOutEntry {
  item: ListItem;
  /** The library the copy is at, or travelling to. */
  where: LibraryRef;
  state: CopyState;
  since: string;
  patron?: PatronRef;
  dueDate?: string;
}

export interface ReceivedEntry {
  item: ListItem;
  owner: LibraryRef;
  state: Exclude<CopyState, 'in-transit'>;
  since: string;
  patron?: PatronRef;
  dueDate?: string;
}

/**
 * Every item with its open transit, open loan and the hold that captured it, in one statement;
 * the callers add which items. An item has at most one of each (DESIGN §2 constraints).
 */
function copiesWhereabouts(ctx: ServiceContext) {
  return ctx.db
    .selectFrom('items as i')
    .innerJoin('records as r', 'r.id', 'i.record_id')
    .innerJoin('volumes as v', 'v.id', 'i.volume_id')
    .innerJoin('libraries as owner', 'owner.id', 'i.owning_library_id')
    .innerJoin('libraries as here', 'here.id', 'i.current_library_id')
    .leftJoin('transits as t', (join) => join.onRef('t.item_id', '=', 'i.id').on('t.received_at', 'is', null).on('t.cancelled_at', 'is', null))
    .leftJoin('libraries as dest', 'dest.id', 't.destination_library_id')
    .leftJoin('loans as lo', (join) => join.onRef('lo.item_id', '=', 'i.id').on('lo.returned_at', 'is', null))
    .leftJoin('libraries as desk', 'desk.id', 'lo.library_id')
    .leftJoin('patrons as borrower', 'borrower.id', 'lo.patron_id')
    .leftJoin('holds as h', (join) => join.onRef('h.captured_item_id', '=', 'i.id').on('h.status', 'in', ['in-transit', 'on-holds-shelf']))
    .leftJoin('patrons as holder', 'holder.id', 'h.patron_id')
    .select([
      'i.barcode',
      'i.status',
      'i.updated_at',
      'r.title',
      'v.call_number',
      'owner.code as owner_code',
      'owner.name as owner_name',
      'here.code as here_code',
      'here.name as here_name',
      't.sent_at',
      'dest.code as dest_code',
      'dest.name as dest_name',
      'lo.checked_out_at',
      'lo.due_date',
      'desk.code as desk_code',
      'desk.name as desk_name',
      'borrower.barcode as borrower_barcode',
      'borrower.first_name as borrower_first',
      'borrower.last_name as borrower_last',
      'h.shelved_at',
      'holder.barcode as holder_barcode',
      'holder.first_name as holder_first',
      'holder.last_name as holder_last',
    ]);
}

type Whereabouts = Awaited<ReturnType<ReturnType<typeof copiesWhereabouts>['execute']>>[number];

/** Where a copy is and since when: travelling, lent, on a holds shelf, or simply on a shelf. */
function whereabouts(row: Whereabouts): { item: ListItem; where: LibraryRef; state: CopyState; since: Date; patron?: PatronRef; dueDate?: string } {
  const item = { barcode: row.barcode, status: row.status, title: row.title, callNumber: row.call_number };
  const borrower = row.borrower_barcode ? toPatronRef({ barcode: row.borrower_barcode, first_name: row.borrower_first!, last_name: row.borrower_last! }) : undefined;
  const holder = row.holder_barcode ? toPatronRef({ barcode: row.holder_barcode, first_name: row.holder_first!, last_name: row.holder_last! }) : undefined;
  const here = { code: row.here_code, name: row.here_name };
  if (row.sent_at) return { item, where: { code: row.dest_code!, name: row.dest_name! }, state: 'in-transit', since: row.sent_at, ...(holder ? { patron: holder } : {}) };
  if (row.checked_out_at) return { item, where: { code: row.desk_code!, name: row.desk_name! }, state: 'checked-out', since: row.checked_out_at, patron: borrower!, dueDate: row.due_date! };
  if (row.status === 'on-holds-shelf') return { item, where: here, state: 'on-holds-shelf', since: row.shelved_at ?? row.updated_at, ...(holder ? { patron: holder } : {}) };
  // available, transit-cancelled, missing…: the item's own status says which
  return { item, where: here, state: 'on-shelf', since: row.updated_at };
}

/** Our items away: in transit (either way), lent at another library's desk, or sitting at another library. */
export async function lentOut(ctx: ServiceContext, code: string, paging: Paging): Promise<Result<LentOutEntry[]>> {
  const library = await libraryForStaff(ctx, code);
  if (!library.ok) return library;
  const id = library.value.id;
  const rows = await copiesWhereabouts(ctx)
    .where('i.owning_library_id', '=', id)
    .where((eb) =>
      eb.or([
        eb('t.id', 'is not', null),
        eb.and([eb('lo.id', 'is not', null), eb('lo.library_id', '!=', id)]),
        eb.and([eb('lo.id', 'is', null), eb('i.current_library_id', '!=', id)]),
      ]),
    )
    .orderBy(sql`coalesce(dest.code, desk.code, here.code)`)
    .orderBy('i.barcode')
    .limit(paging.limit)
    .offset(paging.offset)
    .execute();
  return ok(
    rows.map((row) => {
      const w = whereabouts(row);
      return { item: w.item, where: w.where, state: w.state, since: w.since.toISOString(), ...(w.patron ? { patron: w.patron } : {}), ...(w.dueDate ? { dueDate: w.dueDate } : {}) };
    }),
  );
}

/**
 * Other libraries' items here: lent at our desk (to our patrons), or — neither lent nor
 * travelling — on our holds shelf or our shelf. Items travelling to us are on the transit list.
 */
export async function received(ctx: ServiceContext, code: string, paging: Paging): Promise<Result<ReceivedEntry[]>> {
  const library = await libraryForStaff(ctx, code);
  if (!library.ok) return library;
  const id = library.value.id;
  const rows = await copiesWhereabouts(ctx)
    .where('i.owning_library_id', '!=', id)
    .where((eb) =>
      eb.or([
        eb('lo.library_id', '=', id),
        eb.and([eb('lo.id', 'is', null), eb('t.id', 'is', null), eb('i.current_library_id', '=', id)]),
      ]),
    )
    .orderBy('owner.code')
    .orderBy('i.barcode')
    .limit(paging.limit)
    .offset(paging.offset)
    .execute();
  return ok(
    rows.map((row) => {
      const w = whereabouts(row);
      // never 'in-transit' here (the filter above leaves travelling copies out); this narrows the type
      const state = w.state === 'in-transit' ? 'on-shelf' : w.state;
      return {
        item: w.item,
        owner: { code: row.owner_code, name: row.owner_name },
        state,
        since: w.since.toISOString(),
        ...(w.patron ? { patron: w.patron } : {}),
        ...(w.dueDate ? { dueDate: w.dueDate } : {}),
      };
    }),
  );
}
